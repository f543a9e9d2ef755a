import { type FormEvent, useEffect, useId, useState } from 'react';
import {
  EQUIPMENT_KINDS,
  type EquipmentKind,
  MODEL_NAME_MAX,
  type ModelMeta,
  type ModelSummary,
  ROBOT_JOINTS,
  type RobotJoint,
} from '../../protocol';
import type { ApiRefusal } from '../auth/api';
import { formatNumber } from '../hud/format';
import { refusalText } from '../i18n/refusalText';
import { useT } from '../i18n/useT';
import { glbNodeNames } from '../scene/models/glbNodeNames';
import { deleteModel, uploadModel } from '../scene/models/modelApi';
import { refreshModels, useModelRegistry } from '../scene/models/modelRegistry';

/** Props of ModelsPanel (none: it reads the stores). */
export type ModelsPanelProps = Record<string, never>;

type TargetChoice = 'kind' | 'equipment' | 'shell';

/** Bytes as KB or MB for people. */
function size(bytes: number): string {
  return bytes >= 1048576 ? `${formatNumber(bytes / 1048576, 1)} MB` : `${formatNumber(bytes / 1024, 0)} KB`;
}

/**
 * Upload a GLB for a kind, one piece of equipment or the building shell (with the six robot joints
 * for an arm), see the server's refusal in words, list the stored models with their size and
 * levels, delete one. Uploads and deletions reload the models the plant is drawn with.
 */
export function ModelsPanel(_: ModelsPanelProps) {
  const { t, locale } = useT();
  const models = useModelRegistry((s) => s.models);
  const [file, setFile] = useState<{ name: string; bytes: ArrayBuffer; nodes: string[] } | null>(null);
  const [name, setName] = useState('');
  const [target, setTarget] = useState<TargetChoice>('kind');
  const [kind, setKind] = useState<EquipmentKind>('robot-arm');
  const [equipment, setEquipment] = useState('');
  const [joints, setJoints] = useState<Record<RobotJoint, string>>({
    j1: '',
    j2: '',
    j3: '',
    j4: '',
    j5: '',
    j6: '',
  });
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string; detail?: string } | null>(null);
  const uid = useId();

  useEffect(() => {
    void refreshModels();
  }, []);

  const refused = (key: 'models.refused' | 'models.deleteFailed', r: ApiRefusal) =>
    setNotice({
      ok: false,
      text: t(key, { reason: refusalText(locale, r) }),
      // The server's own words name the exact problem (in English): shown as well in other languages.
      detail: locale === 'en' ? undefined : r.message,
    });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return setNotice({ ok: false, text: t('models.needFile') });
    const mapped = ROBOT_JOINTS.filter((j) => joints[j].trim());
    const meta: ModelMeta = {
      name: name.trim() || file.name.replace(/\.glb$/i, ''),
      target:
        target === 'kind'
          ? { kind }
          : target === 'equipment'
            ? { equipment: equipment.trim() }
            : { shell: true },
    };
    if (mapped.length > 0)
      meta.joints = Object.fromEntries(ROBOT_JOINTS.map((j) => [j, joints[j].trim()])) as ModelMeta['joints'];
    setBusy(true);
    setNotice({ ok: true, text: t('models.uploading') });
    const r = await uploadModel(file.bytes, meta);
    setBusy(false);
    if (!r.ok) return refused('models.refused', r);
    setNotice({ ok: true, text: t('models.uploaded', { name: r.model.name }) });
    void refreshModels();
  };

  const remove = async (m: ModelSummary) => {
    const r = await deleteModel(m.id);
    if (!r.ok) return refused('models.deleteFailed', r);
    void refreshModels();
  };

  const forText = (m: ModelSummary) =>
    'kind' in m.target
      ? t('models.for.kind', { kind: t(`kind.${m.target.kind}`) })
      : 'equipment' in m.target
        ? t('models.for.equipment', { id: m.target.equipment })
        : t('models.for.shell');
  const armTarget = (target === 'kind' && kind === 'robot-arm') || target === 'equipment';

  return (
    <section
      className="design-panel panel design-models"
      aria-labelledby={`${uid}-title`}
      data-testid="models-panel"
    >
      <h2 className="panel__title" id={`${uid}-title`}>
        {t('models.title')}
        <span className="panel__count figure">{models.length}</span>
      </h2>
      <div className="design-panel__body design-models__body">
        <p className="design-muted">{t('models.intro')}</p>
        <form className="design-models__form" onSubmit={(e) => void submit(e)}>
          <div className="design-field">
            <label htmlFor={`${uid}-file`}>{t('models.file')}</label>
            <input
              id={`${uid}-file`}
              type="file"
              accept=".glb,model/gltf-binary"
              data-testid="models-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (!f) return setFile(null);
                void f
                  .arrayBuffer()
                  .then((bytes) => setFile({ name: f.name, bytes, nodes: glbNodeNames(bytes) }));
              }}
            />
          </div>
          <div className="design-field">
            <label htmlFor={`${uid}-name`}>{t('models.name')}</label>
            <input
              id={`${uid}-name`}
              className="design-input"
              maxLength={MODEL_NAME_MAX}
              value={name}
              onChange={(e) => setName(e.target.value)}
              data-testid="models-name"
            />
          </div>
          <div className="design-field">
            <label htmlFor={`${uid}-target`}>{t('models.target')}</label>
            <select
              id={`${uid}-target`}
              className="design-input"
              value={target}
              onChange={(e) => setTarget(e.target.value as TargetChoice)}
              data-testid="models-target"
            >
              <option value="kind">{t('models.target.kind')}</option>
              <option value="equipment">{t('models.target.equipment')}</option>
              <option value="shell">{t('models.target.shell')}</option>
            </select>
          </div>
          {target === 'kind' && (
            <div className="design-field">
              <label htmlFor={`${uid}-kind`}>{t('models.kind')}</label>
              <select
                id={`${uid}-kind`}
                className="design-input"
                value={kind}
                onChange={(e) => setKind(e.target.value as EquipmentKind)}
                data-testid="models-kind"
              >
                {EQUIPMENT_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`kind.${k}`)}
                  </option>
                ))}
              </select>
            </div>
          )}
          {target === 'equipment' && (
            <div className="design-field">
              <label htmlFor={`${uid}-equipment`}>{t('models.equipment')}</label>
              <input
                id={`${uid}-equipment`}
                className="design-input"
                value={equipment}
                maxLength={64}
                onChange={(e) => setEquipment(e.target.value)}
                data-testid="models-equipment"
              />
            </div>
          )}
          {armTarget && (
            <fieldset className="design-models__joints">
              <legend>{t('models.joints')}</legend>
              {file && file.nodes.length > 0 && (
                <p className="design-muted">
                  {t('models.jointsHint', { nodes: file.nodes.slice(0, 24).join(', ') })}
                </p>
              )}
              <datalist id={`${uid}-nodes`}>
                {file?.nodes.map((n) => (
                  <option key={n} value={n} />
                ))}
              </datalist>
              {ROBOT_JOINTS.map((j) => (
                <label key={j} className="design-models__joint">
                  <span>{j}</span>
                  <input
                    className="design-input"
                    list={`${uid}-nodes`}
                    value={joints[j]}
                    onChange={(e) => setJoints({ ...joints, [j]: e.target.value })}
                    data-testid={`models-joint-${j}`}
                  />
                </label>
              ))}
            </fieldset>
          )}
          <button
            type="submit"
            className="button button--primary"
            disabled={busy}
            data-testid="models-upload"
          >
            {busy ? t('models.uploading') : t('models.upload')}
          </button>
        </form>
        {notice && (
          <div
            className={notice.ok ? 'design-models__notice' : 'design-models__notice is-error'}
            role={notice.ok ? 'status' : 'alert'}
            data-testid="models-notice"
          >
            <p>{notice.text}</p>
            {notice.detail && <p lang="en">{notice.detail}</p>}
          </div>
        )}
        {models.length === 0 ? (
          <p className="design-muted">{t('models.empty')}</p>
        ) : (
          <ul className="design-models__list" data-testid="models-list">
            {models.map((m) => (
              <li key={m.id} className="design-models__item" data-testid={`model-${m.id}`}>
                <span className="design-models__name" title={m.name}>
                  {m.name}
                </span>
                <span className="design-muted">{forText(m)}</span>
                <span className="design-muted figure">
                  {t('models.facts', {
                    size: size(m.bytes),
                    lods: m.lods.length,
                    triangles: formatNumber(m.lods[0]?.triangles ?? 0),
                  })}
                </span>
                <button
                  type="button"
                  className="button"
                  aria-label={t('models.deleteLabel', { name: m.name })}
                  onClick={() => void remove(m)}
                  data-testid={`model-delete-${m.id}`}
                >
                  {t('models.delete')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
