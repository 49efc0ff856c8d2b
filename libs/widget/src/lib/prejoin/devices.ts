/**
 * The camera, microphone and speaker the user picked in the pre-join check, remembered in this
 * browser (device ids are per browser and per site, so they live in `localStorage`, not in the
 * server-side preferences), and the lists the pickers offer.
 */

/** What was picked; absent: the browser's default. */
export interface DeviceChoice {
  audioInputId?: string;
  videoInputId?: string;
  audioOutputId?: string;
}

export type DeviceKind = 'audioinput' | 'videoinput' | 'audiooutput';

/** One entry of a picker. */
export interface DeviceOption {
  id: string;
  label: string;
}

export type DeviceLists = Readonly<Record<DeviceKind, readonly DeviceOption[]>>;

export const NO_DEVICES: DeviceLists = { audioinput: [], videoinput: [], audiooutput: [] };

const STORAGE_KEY = 'parley.devices';
const FIELD: Readonly<Record<DeviceKind, keyof DeviceChoice>> = {
  audioinput: 'audioInputId',
  videoinput: 'videoInputId',
  audiooutput: 'audioOutputId',
};
const NAMES: Readonly<Record<DeviceKind, string>> = {
  audioinput: 'Microphone',
  videoinput: 'Camera',
  audiooutput: 'Speaker',
};

export function choiceField(kind: DeviceKind): keyof DeviceChoice {
  return FIELD[kind];
}

/** The remembered choice; anything unreadable counts as "the defaults". */
export function rememberedDevices(storage: Storage | undefined = globalThis.localStorage): DeviceChoice {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(STORAGE_KEY) ?? '{}');
    if (!parsed || typeof parsed !== 'object') return {};
    const choice: DeviceChoice = {};
    for (const field of Object.values(FIELD)) {
      const value = (parsed as Record<string, unknown>)[field];
      if (typeof value === 'string' && value.length > 0 && value.length <= 256) choice[field] = value;
    }
    return choice;
  } catch {
    return {};
  }
}

export function rememberDevices(
  choice: DeviceChoice,
  storage: Storage | undefined = globalThis.localStorage,
): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(choice));
  } catch {
    // Storage full or disabled: the choice holds for this call only.
  }
}

/**
 * The devices the browser offers, by kind. Labels are empty until the page has been granted
 * media once: then the pickers say "Microphone 1", "Microphone 2"….
 */
export async function listDevices(
  mediaDevices: MediaDevices | undefined = globalThis.navigator?.mediaDevices,
): Promise<DeviceLists> {
  if (!mediaDevices?.enumerateDevices) return NO_DEVICES;
  const found = await mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
  const lists: Record<DeviceKind, DeviceOption[]> = { audioinput: [], videoinput: [], audiooutput: [] };
  for (const device of found) {
    const kind = device.kind as DeviceKind;
    const list = lists[kind];
    // No id (no permission yet) or Chromium's "default"/"communications" aliases of a listed device.
    if (!list || !device.deviceId || device.deviceId === 'communications') continue;
    list.push({ id: device.deviceId, label: device.label || `${NAMES[kind]} ${list.length + 1}` });
  }
  return lists;
}

/** The device a live stream actually uses for `kind` (what the browser chose, perhaps the default). */
export function deviceInUse(stream: MediaStream | null, kind: 'audio' | 'video'): string | undefined {
  const track = kind === 'audio' ? stream?.getAudioTracks()[0] : stream?.getVideoTracks()[0];
  return track?.getSettings?.().deviceId || undefined;
}
