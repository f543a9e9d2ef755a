// Chinese glyphs for the operator console when it runs in Chinese (?lang=zh-CN): self-hosted like
// the showcase's (control-room PCs are often offline and may lack a CJK system font). Loaded only
// then, as its own chunk; unicode-range subsets fetch only the glyph blocks actually shown.
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
