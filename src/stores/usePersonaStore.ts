import { create } from 'zustand';
import * as personaService from '../services/persona';

/** H5 only: the local cloud persona this browser acts as. */
export interface PersonaState {
  personas: personaService.Persona[];
  current: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** Why the personas could not be listed (the local cloud is down, ...): shown by the switcher. */
  error: string | null;
  load(): Promise<void>;
  choose(name: string): void;
}

export const usePersonaStore = create<PersonaState>((set) => ({
  personas: [],
  current: personaService.DEFAULT_PERSONA,
  status: 'idle',
  error: null,
  async load() {
    set({ status: 'loading', error: null, current: personaService.chosenPersonaName() });
    try {
      const personas = await personaService.listPersonas();
      set({ personas, status: 'ready' });
    } catch (error) {
      console.warn('[duet] listing the local cloud personas failed:', error);
      set({ status: 'error', error: `本地云未连接：${error instanceof Error ? error.message : String(error)}` });
    }
  },
  choose(name) {
    personaService.choosePersona(name);
    set({ current: name });
  },
}));
