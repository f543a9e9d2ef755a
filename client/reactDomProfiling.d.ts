/**
 * `react-dom/profiling` is react-dom/client with <Profiler> timing kept in production builds;
 * @types/react-dom has no entry for it, and its API is exactly the client's.
 */
declare module 'react-dom/profiling' {
  export * from 'react-dom/client';
}
