import {
  hasPromotionMarker,
  parsePromotionMarker,
  promotionMarker,
} from './promotionMarker';

const KEY = {
  pipelineNamespace: 'flux-system',
  pipelineName: 'podinfo',
  environment: 'test',
};

describe('promotionMarker', () => {
  it('writes a one-line HTML comment with the pipeline, environment, version and promotion id', () => {
    expect(
      promotionMarker({ ...KEY, version: '6.1.0', promotionId: 'p-1' }),
    ).toBe(
      '<!-- flux-pipelines-promotion: {"pipeline":"flux-system/podinfo","environment":"test","version":"6.1.0","promotionId":"p-1"} -->',
    );
  });

  it('is read back from a pull request body, whatever surrounds it', () => {
    const marker = { ...KEY, version: '6.1.0', promotionId: 'p-1' };
    const body = `Promote podinfo\r\n\r\n${promotionMarker(
      marker,
    )}\r\nEdited by a person`;
    expect(parsePromotionMarker(body)).toEqual(marker);
  });

  it('keeps values that try to end the comment inside it', () => {
    const marker = { ...KEY, environment: 'x --> <b>', version: '1.0.0' };
    const text = promotionMarker(marker);
    expect(text.indexOf('-->')).toBe(text.length - 3);
    expect(parsePromotionMarker(text)).toEqual(marker);
  });

  it('ignores bodies without a well-formed marker', () => {
    expect(parsePromotionMarker(undefined)).toBeUndefined();
    expect(parsePromotionMarker(null)).toBeUndefined();
    expect(parsePromotionMarker('just text')).toBeUndefined();
    expect(
      parsePromotionMarker('<!-- flux-pipelines-promotion: {not json} -->'),
    ).toBeUndefined();
    expect(
      parsePromotionMarker(
        '<!-- flux-pipelines-promotion: {"pipeline":"no-namespace","environment":"test"} -->',
      ),
    ).toBeUndefined();
  });

  it('matches a marker to its pipeline and environment only', () => {
    const body = promotionMarker({ ...KEY, version: '1.0.0' });
    expect(hasPromotionMarker(body, KEY)).toBe(true);
    expect(hasPromotionMarker(body, { ...KEY, environment: 'test2' })).toBe(
      false,
    );
    expect(hasPromotionMarker(body, { ...KEY, environment: 'tes' })).toBe(
      false,
    );
    expect(hasPromotionMarker(body, { ...KEY, pipelineName: 'nginx' })).toBe(
      false,
    );
    expect(
      hasPromotionMarker(body, { ...KEY, pipelineNamespace: 'apps' }),
    ).toBe(false);
    expect(hasPromotionMarker('no marker', KEY)).toBe(false);
  });
});
