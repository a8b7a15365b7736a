export { EventsDrawer } from './EventsDrawer';
