export * from './sensor-event';
export * from './subjects';
export * from './site-model';
export * from './site-index';
export * from './validate';
export * from './alert';
export * from './demo-site';
export * from './local-time';
