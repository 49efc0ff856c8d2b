import { ConnectorModule, connectorToken, readConnectorModule } from './module';
import type { ConnectorDefinition } from './definition';
import { definitionProblems } from './validate-definition';

const definition: ConnectorDefinition = {
  type: 'demo',
  title: 'Demo',
  version: '1.0.0',
  description: 'A demo connector',
  supportedTargets: ['user'],
  capabilities: ['audio'],
  settingsSchema: { type: 'object', properties: {} },
  isConfigured: () => true,
  joinInfo: () => ({}),
  clientModule: { path: '/dev/null' },
};

describe('ConnectorModule', () => {
  it('provides the definition under its token and is readable from package exports', () => {
    const module = ConnectorModule.register(definition);
    expect(module.exports).toEqual([connectorToken('demo')]);
    for (const exported of [module, { parleyConnector: module }, { default: { parleyConnector: module } }]) {
      expect(readConnectorModule(exported)).toEqual({ module, type: 'demo', definition });
    }
    const async = ConnectorModule.registerAsync({ type: 'later', useFactory: () => definition });
    expect(readConnectorModule({ parleyConnector: async })).toMatchObject({
      type: 'later',
      definition: null,
    });
  });

  it('explains what is wrong with a package', () => {
    expect(() => readConnectorModule({})).toThrow('does not export `parleyConnector`');
    expect(() => ConnectorModule.register({ ...definition, type: 'Bad Type' })).toThrow(
      'Connector type "Bad Type" is invalid',
    );
  });
});

describe('definitionProblems: healthGatesAvailability', () => {
  it('accepts it with a check, refuses it without one or when not a boolean', () => {
    const check = () => ({ ok: true as const });
    expect(definitionProblems({ ...definition, check, healthGatesAvailability: true })).toEqual([]);
    expect(definitionProblems({ ...definition, healthGatesAvailability: false })).toEqual([]);
    expect(definitionProblems({ ...definition, healthGatesAvailability: true })).toEqual([
      'healthGatesAvailability needs a check function',
    ]);
    expect(definitionProblems({ ...definition, check, healthGatesAvailability: 'yes' })).toEqual([
      'healthGatesAvailability must be a boolean when present',
    ]);
  });
});
