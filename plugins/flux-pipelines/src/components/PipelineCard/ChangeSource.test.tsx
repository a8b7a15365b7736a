import { screen } from '@testing-library/react';
import {
  environment,
  mockFluxApi,
  pipeline,
  renderWithApis,
  target,
} from '../../__testUtils__/fixtures';
import { EntityFluxPipelinesContent } from '../EntityFluxPipelinesContent';

const SHA = '0123456789abcdef0123456789abcdef01234567';

describe('where a change came from, on the environment card', () => {
  it('shows the short commit as a link and who made it', async () => {
    const api = mockFluxApi([
      pipeline([
        environment('dev', [
          target('main', 'dev', {
            chartVersion: '6.5.1',
            sourceRevision: `main@sha1:${SHA}`,
            commitUrl: `https://github.com/org/fleet/commit/${SHA}`,
            changedBy: { name: 'Grace Hopper', via: 'commit' },
          }),
        ]),
        environment('test', [
          target('main', 'test', {
            chartVersion: '6.5.0',
            sourceRevision: `main@sha1:${SHA}`,
            // A link that is no web page is never followed.
            // eslint-disable-next-line no-script-url -- a hostile input
            commitUrl: 'javascript:alert(1)',
            changedBy: {
              name: 'ada',
              entityRef: 'user:default/ada',
              via: 'promotion',
            },
          }),
        ]),
      ]),
    ]);
    await renderWithApis(<EntityFluxPipelinesContent />, { api });

    const commit = await screen.findByRole('link', { name: '0123456' });
    expect(commit).toHaveAttribute(
      'href',
      `https://github.com/org/fleet/commit/${SHA}`,
    );
    expect(commit).toHaveAttribute('title', `main@sha1:${SHA}`);
    expect(commit.parentElement).toHaveTextContent('0123456 by Grace Hopper');

    // test's commit is shown, but not as a link.
    expect(screen.getAllByText('0123456')).toHaveLength(2);
    expect(screen.getAllByRole('link', { name: '0123456' })).toHaveLength(1);
    expect(screen.getByText(/by ada/)).toBeInTheDocument();
  });
});
