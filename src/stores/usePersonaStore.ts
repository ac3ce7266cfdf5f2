import { create } from 'zustand';
import * as personaService from '../services/persona';

/** H5 only: the local cloud persona this browser acts as. */
export interface PersonaState {
  personas: personaService.Persona[];
  current: string;
  status: 'idle' | 'loading' | 'ready' | 'error';
  load(): Promise<void>;
  choose(name: string): void;
}

export const usePersonaStore = create<PersonaState>((set) => ({
  personas: [],
  current: personaService.DEFAULT_PERSONA,
  status: 'idle',
  async load() {
    set({ status: 'loading', current: personaService.chosenPersonaName() });
    try {
      const personas = await personaService.listPersonas();
      set({ personas, status: 'ready' });
    } catch {
      set({ status: 'error' });
    }
  },
  choose(name) {
    personaService.choosePersona(name);
    set({ current: name });
  },
}));
