import { shortRef } from './PromotionSummary';

describe('who asked, as a card says it', () => {
  it('names a person by their user name, and an automatic request as the pipeline', () => {
    expect(shortRef('user:default/jane')).toBe('jane');
    expect(shortRef('user:team-a/jane')).toBe('team-a/jane');
    expect(shortRef('pipeline')).toBe('the pipeline (automatic)');
  });
});
