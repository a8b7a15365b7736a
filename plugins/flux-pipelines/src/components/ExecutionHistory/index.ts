export { ExecutionHistory } from './ExecutionHistory';
