import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The cards render Backstage's Table and several permission checks; on a
// busy 2-core CI machine that takes longer than the default 1s.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);

// jsdom has no ResizeObserver, which recharts' ResponsiveContainer needs to
// size a chart; browsers have it. In tests the chart stays unsized (not drawn).
class NoResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
(globalThis as any).ResizeObserver ??= NoResizeObserver;
