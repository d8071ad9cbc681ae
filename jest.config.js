/** Two layers: `unit` (pure logic, beside the code) and `integration` (real Kafka, Mongo-wire, Redis). */
const moduleNameMapper = {
  '^@lifecycle/(contracts|messaging|config|http|observability|storage|testing)$': '<rootDir>/libs/$1/src',
  '^@lifecycle/(contracts|messaging|config|http|observability|storage|testing)/(.*)$': '<rootDir>/libs/$1/src/$2',
  '^@lifecycle/rules$': '<rootDir>/libs/lifecycle-rules/src',
  '^@lifecycle/rules/(.*)$': '<rootDir>/libs/lifecycle-rules/src/$1',
};
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const common = { rootDir: __dirname, moduleFileExtensions: ['ts', 'js', 'json'], moduleNameMapper, transform, testEnvironment: 'node' };

module.exports = {
  testTimeout: 60_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs}/**/*.int-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/faults/'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
    },
    {
      // Restarts the shared servers: never beside other suites (`npm run test:faults`).
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/test/faults/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/faults-setup.ts',
    },
  ],
};
