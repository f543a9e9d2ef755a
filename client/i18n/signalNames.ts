import type { EquipmentKind, SignalDef } from '../../protocol';
import type { Locale } from './messages';

const JOINTS = ['J1 底座', 'J2 大臂', 'J3 肘部', 'J4 腕部旋转', 'J5 腕部俯仰', 'J6 法兰'];
const joints = (suffix: string, key: (i: number) => string) =>
  Object.fromEntries(JOINTS.map((n, i) => [key(i + 1), `${n}${suffix}`]));
const LINK = { rsrp: '5G 参考信号接收功率 RSRP', sinr: '5G 信噪比 SINR', latency: '5G 时延' };

/**
 * Chinese names of every signal in the protocol's catalog, per kind (the English ones are the
 * catalog's labels). A test holds this complete against protocol/signals.ts.
 */
export const SIGNAL_NAMES_ZH: Readonly<Record<EquipmentKind, Readonly<Record<string, string>>>> = {
  'robot-arm': {
    ...joints('角度', (i) => `j${i}`),
    ...joints('电机温度', (i) => `j${i}Temp`),
    current: '电机电流',
    cycleTime: '上一节拍时间',
    cycles: '累计循环次数',
    vibration: '减速机振动（有效值）',
  },
  agv: { speed: '速度', battery: '电量', payload: '载重', ...LINK },
  drone: {
    speed: '对地速度',
    altitude: '飞行高度',
    battery: '电量',
    rotorRpm: '旋翼转速',
    surfaceTemp: '红外最高表面温度',
    ...LINK,
  },
  conveyor: {
    beltSpeed: '皮带速度',
    offset: '产品相位',
    throughput: '产能',
    motorTemp: '驱动电机温度',
    motorCurrent: '驱动电流',
    carried: '累计输送件数',
    vibration: '驱动振动（有效值）',
  },
  'vision-station': {
    inspected: '已检测件数',
    rejects: '剔除件数',
    defectRate: '缺陷率（最近 200 件）',
    uplink: '相机上行带宽',
    inferenceMs: '推理耗时',
    focus: '对焦评分',
  },
  'base-station': {
    attached: '接入终端数',
    ulLoad: '上行负荷',
    dlLoad: '下行负荷',
    ulMbps: '上行吞吐量',
    dlMbps: '下行吞吐量',
    latency: '空口时延',
  },
  'edge-server': { cpu: 'CPU 负载', gpu: 'GPU 负载', inferences: '推理次数', temp: '进风温度' },
  'charging-dock': { power: '充电功率', occupied: '占用' },
  transformer: { load: '负载率', oilTemp: '顶层油温', windingTemp: '绕组热点温度' },
  rack: { stock: '库存托盘数' },
  feeder: { level: '物料余量', delivered: '已接收托盘数' },
};

/** Unit symbols written differently in Chinese engineering texts (SI symbols stay as they are). */
const UNITS_ZH: Readonly<Record<string, string>> = {
  'units/min': '件/分',
  rpm: 'r/min',
  '1/s': '次/秒',
};

/** A signal's name in the locale (the catalog's English label when no translation exists). */
export function signalLabel(
  locale: Locale,
  kind: EquipmentKind,
  def: Pick<SignalDef, 'key' | 'label'>,
): string {
  return locale === 'zh-CN' ? (SIGNAL_NAMES_ZH[kind]?.[def.key] ?? def.label) : def.label;
}

/** A unit symbol in the locale. */
export function unitLabel(locale: Locale, unit: string): string {
  return locale === 'zh-CN' ? (UNITS_ZH[unit] ?? unit) : unit;
}
