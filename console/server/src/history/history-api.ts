// The history queries without HTTP, for the history benchmark (test/bench/history.ts).
export { chartRange, droneWeekdayHour, precision, volumeChart, wingHourHeatmap } from './charts';
export { listPage, LISTS } from './history-lists';
export { EventFilter, HeatmapQuery, TimelineQuery, VolumeQuery } from './history-query';
export { detaineeTimeline } from './timeline';
