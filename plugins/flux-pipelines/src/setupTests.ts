import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The cards render Backstage's Table and several permission checks; on a
// busy 2-core CI machine that takes longer than the default 1s.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30_000);
