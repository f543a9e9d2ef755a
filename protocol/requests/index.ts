/** The zod schema of every client request, with the request types inferred from them. */
export * from './alarms';
export * from './auth';
export * from './commands';
export * from './faults';
export * from './queries';
export * from './replay';
export * from './training';
