import Taro from '@tarojs/taro';

/**
 * H5 only: who the local app acts as. A persona is a named test user of the local cloud
 * (`GET /_emu/personas`); `?persona=<name>` in the URL or the switcher picks one.
 */
export interface Persona {
  name: string;
  openid: string;
  unionid?: string;
  nickname?: string;
  follows: boolean;
}

const STORAGE_KEY = 'duet.persona';
export const DEFAULT_PERSONA = 'alice';

let cache: Persona[] | null = null;

export async function listPersonas(): Promise<Persona[]> {
  if (cache) return cache;
  const response = await Taro.request<{ personas: Persona[] }>({ url: `${DUET_EMULATOR_URL}/_emu/personas`, method: 'GET' });
  cache = response.data?.personas ?? [];
  return cache;
}

export function forgetPersonas(): void {
  cache = null;
}

export function chosenPersonaName(): string {
  const fromUrl = personaFromLocation();
  if (fromUrl) {
    Taro.setStorageSync(STORAGE_KEY, fromUrl);
    return fromUrl;
  }
  return (Taro.getStorageSync(STORAGE_KEY) as string) || DEFAULT_PERSONA;
}

export function choosePersona(name: string): void {
  Taro.setStorageSync(STORAGE_KEY, name);
}

export async function currentPersona(): Promise<Persona> {
  const name = chosenPersonaName();
  const personas = await listPersonas();
  const persona = personas.find((p) => p.name === name) ?? personas[0];
  if (!persona) throw new Error('the local cloud has no personas');
  return persona;
}

function personaFromLocation(): string | null {
  if (typeof window === 'undefined' || !window.location) return null;
  const search = window.location.search || window.location.hash.split('?')[1] || '';
  const value = new URLSearchParams(search.startsWith('?') ? search : `?${search}`).get('persona');
  return value && /^[\w-]{1,40}$/.test(value) ? value : null;
}
