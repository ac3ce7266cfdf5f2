import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as personaService from '../services/persona';
import { deferred } from './test-support';
import { usePersonaStore } from './usePersonaStore';

vi.mock('../services/persona', () => ({
  DEFAULT_PERSONA: 'alice',
  listPersonas: vi.fn(),
  chosenPersonaName: vi.fn(),
  choosePersona: vi.fn(),
}));

const listPersonas = vi.mocked(personaService.listPersonas);
const chosenPersonaName = vi.mocked(personaService.chosenPersonaName);
const choosePersona = vi.mocked(personaService.choosePersona);

const personas: personaService.Persona[] = [
  { name: 'alice', openid: 'o-alice', follows: false },
  { name: 'bob', openid: 'o-bob', unionid: 'u-bob', nickname: '小波', follows: true },
];

beforeEach(() => {
  listPersonas.mockReset();
  chosenPersonaName.mockReset();
  choosePersona.mockReset();
  usePersonaStore.setState(usePersonaStore.getInitialState(), true);
});

describe('usePersonaStore', () => {
  it('starts idle as the default persona', () => {
    expect(usePersonaStore.getState()).toMatchObject({ personas: [], current: 'alice', status: 'idle' });
  });

  it('load takes the chosen persona at once, then the list when it arrives', async () => {
    chosenPersonaName.mockReturnValue('bob');
    const answer = deferred<personaService.Persona[]>();
    listPersonas.mockReturnValueOnce(answer.promise);
    const done = usePersonaStore.getState().load();
    expect(usePersonaStore.getState()).toMatchObject({ status: 'loading', current: 'bob', personas: [] });
    answer.resolve(personas);
    await done;
    expect(usePersonaStore.getState()).toMatchObject({ status: 'ready', current: 'bob', personas });
  });

  it('a failed list ends in error with no personas to offer', async () => {
    chosenPersonaName.mockReturnValue('alice');
    listPersonas.mockRejectedValueOnce(new Error('connect ECONNREFUSED 127.0.0.1:8787'));
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await usePersonaStore.getState().load();
    expect(usePersonaStore.getState()).toMatchObject({ status: 'error', personas: [], current: 'alice' });
    // The switcher says why it has nothing to offer.
    expect(usePersonaStore.getState().error).toContain('ECONNREFUSED');
    expect(warn).toHaveBeenCalled();
    warn.mockRestore();
  });

  it('loading again after an error ends ready', async () => {
    chosenPersonaName.mockReturnValue('alice');
    listPersonas.mockRejectedValueOnce(new Error('down')).mockResolvedValueOnce(personas);
    await usePersonaStore.getState().load();
    await usePersonaStore.getState().load();
    expect(usePersonaStore.getState()).toMatchObject({ status: 'ready', personas });
  });

  it('choose remembers the persona and makes it current, without reloading the list', async () => {
    chosenPersonaName.mockReturnValue('alice');
    listPersonas.mockResolvedValueOnce(personas);
    await usePersonaStore.getState().load();
    usePersonaStore.getState().choose('bob');
    expect(choosePersona).toHaveBeenCalledWith('bob');
    expect(usePersonaStore.getState()).toMatchObject({ current: 'bob', status: 'ready', personas });
    expect(listPersonas).toHaveBeenCalledTimes(1);
  });
});
