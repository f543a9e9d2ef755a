export * from './alarms';
export * from './codec';
export * from './events';
export * from './kinds';
export * from './layout';
export * from './signals';
