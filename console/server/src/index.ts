export { startConsoleServer, type ConsoleServer, type ConsoleServerOptions } from './console-server';
export { default as consoleService } from './service';
export { LoginRateLimit } from './auth/rate-limit';
export { SESSION_COOKIE } from './auth/cookies';
export { ROLES, type Role } from './auth/roles';
export { createUser, setAdminPassword } from './auth/users';
export type { AlertPush, ClientToServerEvents, ServerToClientEvents } from './live/socket-protocol';
export { MAX_SILENCE_MIN } from './api/alert-routes';
export * as history from './history/history-api';
