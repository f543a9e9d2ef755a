import type { Locale } from '../../protocol';
import { alarmEn, alarmZhCN } from './alarmMessages';
import { commentEn, commentZhCN } from './commentMessages';
import { consoleEn, consoleZhCN } from './consoleMessages';
import { designEditEn, designEditZhCN } from './designEditMessages';
import { designEn, designZhCN } from './designMessages';
import { designRouteEn, designRouteZhCN } from './designRouteMessages';
import { hudEn, hudZhCN } from './hudMessages';
import { modelEn, modelZhCN } from './modelMessages';
import { publishEn, publishZhCN } from './publishMessages';
import { qualityEn, qualityZhCN } from './qualityMessages';
import { replayEn, replayZhCN } from './replayMessages';
import { trainingEn, trainingZhCN } from './trainingMessages';

/**
 * The one message catalog of the client, in English and Simplified Chinese, split by area
 * (console, hud, alarm, training, replay). `{name}` placeholders are filled by `translate`.
 * English is the reference; the Chinese catalog is typed to hold every English key.
 */

// The languages are the protocol's (the server renders and remembers the same ones).
export { LOCALES, type Locale } from '../../protocol';

const en = {
  'showcase.tagline': '5G smart factory · live digital twin',
  'showcase.live': 'Live',
  'showcase.reconnecting': 'Reconnecting…',
  'showcase.connecting': 'Connecting…',
  'showcase.waiting': 'Waiting for live data',
  'showcase.simTime': 'Simulated time {time}',

  'kpi.oee': 'Plant OEE',
  'kpi.lineOee': 'Line OEE',
  'kpi.output': 'Output today',
  'kpi.outputTarget': 'of {target} planned',
  'kpi.fpy': 'First-pass yield',
  'kpi.defects': 'Defect rate · vision AI',
  'kpi.defectsSub': '{rejects} of {inspected} units',
  'kpi.agv': 'AGV fleet utilization',
  'kpi.agvSub': '{busy} of {total} AGVs on a job',
  'kpi.connections': '5G connected devices',
  'kpi.latency': 'latency {value} ms',
  'kpi.power': 'Plant power',
  'kpi.powerSub': '{value} % of transformer capacity',
  'kpi.alarms': 'Active alarms',
  'kpi.alarmsNone': 'all clear',
  'kpi.alarmsUrgent': '{n} urgent',
  'kpi.alarmsSome': 'none urgent',

  'unit.units': 'units',
  'unit.kw': 'kW',
  'unit.mw': 'MW',

  'alarm.caption': 'Alarm',
  'alarm.priority.critical': 'Critical',
  'alarm.priority.high': 'High priority',

  'line.L1': 'Line 1',
  'line.L2': 'Line 2',
  'line.L3': 'Line 3',

  'viewpoint.VP-SITE': 'The whole site',
  'viewpoint.VP-HALL': 'Assembly Hall A',
  'viewpoint.VP-L1': 'Line 1 · 5G router boards',
  'viewpoint.VP-L2': 'Line 2 · industrial gateways',
  'viewpoint.VP-L3': 'Line 3 · sensor modules',
  'viewpoint.VP-WH': 'Warehouse and AGV fleet',
  'viewpoint.VP-SUB': 'Substation and inspection drone',
  'viewpoint.VP-5G': 'The 5G private network',

  'event.delivery': '{agv} delivered a pallet of parts to {line} (feeder at {pct} %)',
  'event.batteryLow': '{id} is low on battery ({pct} %) and heads to charge',
  'event.droneLaunched': 'Drone {id} took off on an inspection flight',
  'event.droneLanded': 'Drone {id} finished its inspection and landed',
  'event.lineStarved': '{line} is waiting for parts',
  'event.lineRunning': '{line} is running again: parts refilled',
  'event.offline': '{id} monitoring link lost; last values held',
  'event.online': '{id} monitoring link restored',
  'event.maintenance': '{id} is in planned maintenance',
  'event.maintenanceDone': '{id} is back in service after maintenance',
  'event.overheat': 'Robot {id} stopped: motor too hot',
  'event.jam': 'Conveyor {id} stopped: jam detected',
  'event.defocus': 'Camera {id} needs refocusing: inspection paused',
  'event.obstacle': '{id} stopped safely: obstacle in the aisle',
  'event.recovered': '{id} is back in service',
  ...consoleEn,
  ...hudEn,
  ...alarmEn,
  ...trainingEn,
  ...replayEn,
  ...qualityEn,
  ...designEn,
  ...publishEn,
  ...designEditEn,
  ...designRouteEn,
  ...modelEn,
  ...commentEn,
} as const;

export type MessageKey = keyof typeof en;

// Every key in both: the compiler refuses a Chinese catalog that misses one.
const zhCN: Record<MessageKey, string> = {
  'showcase.tagline': '5G 智能工厂 · 实时数字孪生',
  'showcase.live': '实时',
  'showcase.reconnecting': '正在重新连接…',
  'showcase.connecting': '正在连接…',
  'showcase.waiting': '等待实时数据',
  'showcase.simTime': '仿真时间 {time}',

  'kpi.oee': '工厂设备综合效率 OEE',
  'kpi.lineOee': '产线 OEE',
  'kpi.output': '今日产量',
  'kpi.outputTarget': '计划 {target}',
  'kpi.fpy': '一次合格率',
  'kpi.defects': '视觉 AI 缺陷检出率',
  'kpi.defectsSub': '{inspected} 件中拦截 {rejects} 件',
  'kpi.agv': 'AGV 车队利用率',
  'kpi.agvSub': '{total} 台中 {busy} 台执行任务',
  'kpi.connections': '5G 连接设备',
  'kpi.latency': '时延 {value} 毫秒',
  'kpi.power': '工厂用电功率',
  'kpi.powerSub': '变压器容量的 {value} %',
  'kpi.alarms': '活动告警',
  'kpi.alarmsNone': '一切正常',
  'kpi.alarmsUrgent': '{n} 条紧急',
  'kpi.alarmsSome': '无紧急告警',

  'unit.units': '件',
  'unit.kw': '千瓦',
  'unit.mw': '兆瓦',

  'alarm.caption': '告警',
  'alarm.priority.critical': '紧急',
  'alarm.priority.high': '高优先级',

  'line.L1': '1 号产线',
  'line.L2': '2 号产线',
  'line.L3': '3 号产线',

  'viewpoint.VP-SITE': '厂区全景',
  'viewpoint.VP-HALL': '总装 A 车间',
  'viewpoint.VP-L1': '1 号产线 · 5G 路由器主板',
  'viewpoint.VP-L2': '2 号产线 · 工业网关',
  'viewpoint.VP-L3': '3 号产线 · 传感器模组',
  'viewpoint.VP-WH': '仓库与 AGV 车队',
  'viewpoint.VP-SUB': '变电站与巡检无人机',
  'viewpoint.VP-5G': '5G 专网视图',

  'event.delivery': '{agv} 已将一托盘物料送至{line}（上料 {pct} %）',
  'event.batteryLow': '{id} 电量低（{pct} %），前往充电',
  'event.droneLaunched': '无人机 {id} 起飞执行巡检',
  'event.droneLanded': '无人机 {id} 完成巡检并降落',
  'event.lineStarved': '{line}等待物料',
  'event.lineRunning': '{line}物料已补充，恢复运行',
  'event.offline': '{id} 监测链路中断，保持最后数值',
  'event.online': '{id} 监测链路已恢复',
  'event.maintenance': '{id} 正在计划维护',
  'event.maintenanceDone': '{id} 维护完成，恢复运行',
  'event.overheat': '机器人 {id} 停机：电机过热',
  'event.jam': '输送线 {id} 停止：检测到卡料',
  'event.defocus': '相机 {id} 需要重新对焦：检测暂停',
  'event.obstacle': '{id} 安全停车：通道有障碍物',
  'event.recovered': '{id} 设备恢复运行',
  ...consoleZhCN,
  ...hudZhCN,
  ...alarmZhCN,
  ...trainingZhCN,
  ...replayZhCN,
  ...qualityZhCN,
  ...designZhCN,
  ...publishZhCN,
  ...designEditZhCN,
  ...designRouteZhCN,
  ...modelZhCN,
  ...commentZhCN,
};

/** Both catalogs (tests check them against each other). */
export const CATALOG: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zhCN };

/** Whether the catalog has a text for this key (used for data-driven keys such as viewpoint ids). */
export function hasMessage(key: string): key is MessageKey {
  return key in en;
}

/** The text of `key` in `locale` with `{name}` placeholders filled (English when untranslated). */
export function translate(
  locale: Locale,
  key: MessageKey,
  params?: Readonly<Record<string, string | number>>,
): string {
  const text: string = CATALOG[locale][key] ?? en[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}
