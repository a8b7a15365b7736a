module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  rules: {
    // Shared assertion helpers in tests are named expect… (e.g. expectExactlyReleased).
    'jest/expect-expect': [
      'warn',
      { assertFunctionNames: ['expect', 'expect*'] },
    ],
  },
});
