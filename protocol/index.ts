export * from './alarms';
export * from './auth';
export * from './codec';
export * from './commands';
export * from './events';
export * from './kinds';
export * from './layout';
export * from './signals';
