import { useMemo, useRef, useState } from 'react';
import type { CommandAction, EquipmentSpec, Layout } from '../../../protocol';
import { useAuthStore } from '../../auth/authStore';
import { lineDisplayName } from '../../i18n/codedText';
import { useServerText } from '../../i18n/useServerText';
import { useT } from '../../i18n/useT';
import { CommandConfirm } from './CommandConfirm';
import { actionLabel, confirmQuestion, outcomeView } from './commandText';
import { type CommandGroup, commandGroups, nodeLabel, nodeOptions } from './commandView';
import { NodeSelect } from './NodeSelect';
import { useCommandFlow } from './useCommandFlow';
import './commands.css';

/** Props of CommandPanel. */
export interface CommandPanelProps {
  spec: EquipmentSpec;
  layout: Layout;
}

/** Safety actions: one click, never disabled by another command in flight. */
const SAFETY: readonly CommandAction[] = ['e-stop', 'stop'];

/**
 * The inspector's remote commands for the selected equipment (and its line): only those the
 * user's role allows, nothing at all for a viewer. Stop and E-stop act on one click; the rest are
 * confirmed in a second step the server asks for.
 */
export function CommandPanel({ spec, layout }: CommandPanelProps) {
  const { t, locale } = useT();
  const render = useServerText();
  const role = useAuthStore((s) => s.role);
  const groups = useMemo(() => commandGroups(role, spec, layout), [role, spec, layout]);
  const [flow, state] = useCommandFlow();
  const [node, setNode] = useState('');
  const panel = useRef<HTMLElement>(null);
  const nodes = useMemo(
    () =>
      new Map(
        Object.values(nodeOptions(layout, locale))
          .flat()
          .map((o) => [o.id, o]),
      ),
    [layout, locale],
  );
  if (groups.length === 0) return null;

  const home = (n: string, agv: string) => t('command.nodeHome', { node: n, agv });
  const nodeName = (id: string) => {
    const o = nodes.get(id);
    return o ? nodeLabel(o, home) : id;
  };
  // A line group is named after the line in the reader's language.
  const labelOf = (g: CommandGroup) => (g.line ? lineDisplayName(locale, layout, g.target) : g.label);
  const targetName = (target: string) => {
    const g = groups.find((x) => x.target === target);
    return g?.line ? t('command.lineTarget', { line: labelOf(g) }) : target;
  };
  const sending = state.phase === 'sending';
  // After a confirmation the keyboard goes back to the command's button, or to the panel while
  // the command is sending (its button is disabled then).
  const backToButton = () => {
    if (state.phase !== 'confirm') return panel.current;
    const line = groups.find((g) => g.target === state.req.equipmentId)?.line;
    const id = `${line ? 'line-' : ''}command-${state.req.action}`;
    const b = panel.current?.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`);
    return b && !b.disabled ? b : panel.current;
  };
  const outcome = outcomeView(state, t, Date.now(), render, locale);

  const button = (g: CommandGroup, action: CommandAction) => {
    const safety = SAFETY.includes(action);
    const goTo = action === 'go-to';
    return (
      <button
        key={action}
        type="button"
        className={`button commands__button${action === 'e-stop' ? ' commands__button--estop' : ''}`}
        disabled={(!safety && sending) || (goTo && node === '')}
        onClick={() => void flow.send(g.target, action, goTo ? { node } : undefined)}
        data-testid={`${g.line ? 'line-' : ''}command-${action}`}
      >
        {actionLabel(t, action)}
      </button>
    );
  };

  return (
    <section
      className="commands"
      data-testid="commands"
      aria-label={t('command.title')}
      ref={panel}
      tabIndex={-1}
    >
      {groups.map((g) => (
        <div className="commands__group" key={g.target}>
          <h3 className="commands__title">
            {g.line ? t('command.lineTitle', { line: labelOf(g) }) : t('command.title')}
          </h3>
          <div className="commands__row">
            {g.actions.filter((a) => a !== 'go-to').map((a) => button(g, a))}
          </div>
          {g.actions.includes('go-to') && (
            <div className="commands__goto">
              <NodeSelect layout={layout} value={node} onChange={setNode} />
              {button(g, 'go-to')}
            </div>
          )}
        </div>
      ))}
      {state.phase === 'confirm' && (
        <CommandConfirm
          question={confirmQuestion(t, state.req, targetName(state.req.equipmentId), nodeName)}
          deadline={state.deadline}
          onConfirm={() => void flow.confirm()}
          onCancel={() => flow.dismiss()}
          returnFocusTo={backToButton}
        />
      )}
      {outcome && (
        <p
          className="commands__result"
          data-tone={outcome.tone}
          role="status"
          data-testid="command-result"
          onClick={() => flow.dismiss()}
        >
          {outcome.text}
        </p>
      )}
    </section>
  );
}
