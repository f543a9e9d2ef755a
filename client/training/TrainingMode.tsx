import { can } from '../../protocol';
import { useAuthStore } from '../auth/authStore';
import { AlarmBanner } from '../hud/alarms/AlarmBanner';
import { AlarmDock } from '../hud/alarms/AlarmDock';
import { Toasts } from '../hud/alarms/Toasts';
import { AuditPanel } from '../hud/audit/AuditPanel';
import { EventTicker } from '../hud/EventTicker';
import { FaultList } from '../hud/FaultList';
import { Inspector } from '../hud/Inspector';
import { KpiPanel } from '../hud/KpiPanel';
import { TopBar } from '../hud/TopBar';
import { useConnectionStore } from '../state/connectionStore';
import { ActivityFeed } from './ActivityFeed';
import { JoinCodeScreen } from './JoinCodeScreen';
import { ReportPanel } from './ReportPanel';
import { RoleRequired } from './RoleRequired';
import { ScenarioPicker } from './ScenarioPicker';
import { SimWatermark } from './SimWatermark';
import { TraineeBanner } from './TraineeBanner';
import { TraineeNotices } from './TraineeNotices';
import { TrainerBar } from './TrainerBar';
import { TrainingEndScreen } from './TrainingEndScreen';
import { useTrainerUiStore } from './trainerUiStore';
import { useTrainingStore } from './trainingStore';
import './training.css';

/** Props of TrainingMode. */
export interface TrainingModeProps {
  /** The trainer console (`/trainer`); false: a trainee's view of a session (`/train/CODE`). */
  trainer: boolean;
}

/**
 * A training session's console: the operator console's panels against the session's simulated
 * plant, a "SIMULATION" frame over the scene, and above the panels either the trainer's bar
 * (clock control, join code, report) with the live activity feed, or the trainee's banner and
 * scenario messages. Before a session is open the trainer picks or creates one.
 */
export default function TrainingMode({ trainer }: TrainingModeProps) {
  const role = useAuthStore((s) => s.role);
  const sessionKey = useTrainingStore((s) => s.sessionKey);
  const failure = useTrainingStore((s) => s.failure);
  const ended = useTrainingStore((s) => s.ended);
  const pickerOpen = useTrainerUiStore((s) => s.picker);
  const reportOpen = useTrainerUiStore((s) => s.report);
  const live = useConnectionStore((s) => s.status === 'live');

  if (trainer && !can(role, 'training:run')) return <RoleRequired />;
  if (ended) return <TrainingEndScreen info={ended} trainer={trainer} />;
  if (!trainer && (failure || !sessionKey)) return <JoinCodeScreen code={sessionKey} failure={failure} />;
  if (trainer && (!sessionKey || failure)) return <ScenarioPicker failure={failure} />;

  return (
    <>
      <SimWatermark />
      <div className={`hud hud--training${live ? '' : ' hud--not-live'}`}>
        <TopBar />
        {trainer ? <TrainerBar /> : <TraineeBanner />}
        <AlarmBanner />
        <div className="hud__left">
          <KpiPanel />
          <FaultList />
          {trainer && <ActivityFeed />}
          <EventTicker />
        </div>
        <AlarmDock />
        <Inspector />
        <AuditPanel />
        <Toasts />
        {!trainer && <TraineeNotices />}
      </div>
      {trainer && pickerOpen && <ScenarioPicker failure={null} />}
      {trainer && reportOpen && <ReportPanel />}
    </>
  );
}
