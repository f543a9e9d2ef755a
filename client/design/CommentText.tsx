import { splitMentions } from '../../protocol/designComments';

/** Props of CommentText. */
export type CommentTextProps = {
  text: string;
  /** This page's user: a mention of them is marked apart from the others. */
  user: string | null;
};

/** A comment's text with its `@name` mentions highlighted (the reader's own marked apart). */
export function CommentText({ text, user }: CommentTextProps) {
  return (
    <p className="comment-text">
      {splitMentions(text).map((p, i) =>
        'mention' in p ? (
          <span
            // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text, in order.
            key={i}
            className={p.mention === user ? 'comment-mention is-me' : 'comment-mention'}
            data-testid="comment-mention"
          >
            {p.text}
          </span>
        ) : (
          p.text
        ),
      )}
    </p>
  );
}
