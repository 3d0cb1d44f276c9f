/** What kind of meter an ADS type code designates. */
export type MeterKind = 'linky' | 'pre-linky' | 'unknown'

/** The EURIDIS secondary address `CC AA TT NNNNNN` decoded (tic-spec.md §9.3). */
export interface Ads {
  /** The 12 characters as sent (ADCO or ADSC). */
  readonly raw: string
  /** Manufacturer code `CC`. */
  readonly manufacturerCode: string
  /** Manufacturer name, or null for a code not in the EURIDIS list. */
  readonly manufacturer: string | null
  /** Year of manufacture (4 digits). */
  readonly year: number
  /** Device type code `TT`. */
  readonly typeCode: string
  /** What the type code says about the device, or null when unknown (never fatal). */
  readonly model: string | null
  /** Linky, pre-Linky electronic meter, or unknown. */
  readonly kind: MeterKind
  /** Phases the type code implies, or null when it says nothing. */
  readonly phases: 1 | 3 | null
  /** Serial number `NNNNNN` within that year. */
  readonly serial: string
}

const MANUFACTURERS: Readonly<Record<string, string>> = {
  '01': 'Crouzet / Monetel',
  '02': 'Sagem / Sagemcom',
  '03': 'Schlumberger / Actaris / Itron',
  '04': 'Landis+Gyr / Siemens',
  '05': 'Sauter / Stepper / Zellweger',
  '06': 'Itron',
  '11': 'Magnol / Elster / Honeywell',
  '70': 'export',
  '71': 'export',
  '81': 'Sagemcom',
  '82': 'Landis+Gyr',
  '83': 'Elster',
  '84': 'Sagemcom',
  '85': 'Itron',
}

const TYPES: Readonly<Record<string, readonly [MeterKind, 1 | 3 | null, string]>> = {
  '60': ['linky', 1, 'Linky mono 60 A G1'],
  '61': ['linky', 1, 'Linky mono 60 A G3'],
  '62': ['linky', 1, 'Linky mono 90 A G1'],
  '63': ['linky', 3, 'Linky tri 60 A G1'],
  '64': ['linky', 1, 'Linky mono 60 A G3'],
  '65': ['linky', 1, 'Linky mono 90 A G3 (PLC trial)'],
  '67': ['linky', 1, 'Linky mono 90 A pilot G1'],
  '68': ['linky', 3, 'Linky tri 60 A pilot G1'],
  '70': ['linky', 1, 'Linky mono 60 A G3 interoperability'],
  '71': ['linky', 3, 'Linky tri 60 A G3 interoperability'],
  '75': ['linky', 1, 'Linky mono 90 A G3 palier 1'],
  '76': ['linky', 3, 'Linky tri 60 A G3 palier 1'],
  '87': ['linky', 3, 'Linky tri (non-Enedis variant)'],
  '93': ['linky', 3, 'Linky tri (non-Enedis variant)'],
  '94': ['linky', 3, 'Linky tri (non-Enedis variant)'],
  '01': ['pre-linky', 1, 'CBEMM multi-tariff BBR gen 1'],
  '05': ['pre-linky', 1, 'CBEMM single-tariff gen 1'],
  '09': ['pre-linky', 3, 'CBETM gen 1'],
  '15': ['pre-linky', 1, 'CBEMM multi-tariff without BBR'],
  '20': ['pre-linky', 1, 'CBEMM half-rate gen 1'],
  '21': ['pre-linky', 1, 'CBEMM half-rate gen 1'],
  '22': ['pre-linky', 1, 'CBEMM gen 2'],
  '23': ['pre-linky', 1, 'CBEMM gen 2'],
  '25': ['pre-linky', 1, 'CBEMM gen 2'],
  '26': ['pre-linky', 3, 'CBETM palier 2000'],
  '27': ['pre-linky', 3, 'CBETM palier 2000'],
  '28': ['pre-linky', 1, 'CBEMM palier 2007'],
  '29': ['pre-linky', 1, 'CBEMM palier 2007'],
  '30': ['pre-linky', 3, 'CBETM palier 2007'],
  '31': ['pre-linky', 3, 'CBETM palier 2007'],
  '32': ['pre-linky', 3, 'CBETM télétotalisation'],
}

/** Decodes an ADS (ADCO/ADSC); null unless it is 12 characters of digits/hex. */
export function parseAds(raw: string | undefined): Ads | null {
  if (raw === undefined || !/^[0-9A-F]{12}$/.test(raw)) return null
  const cc = raw.slice(0, 2)
  const aa = Number(raw.slice(2, 4))
  const tt = raw.slice(4, 6)
  const type = TYPES[tt]
  return {
    raw,
    manufacturerCode: cc,
    manufacturer: MANUFACTURERS[cc] ?? null,
    year: Number.isNaN(aa) ? 0 : aa >= 80 ? 1900 + aa : 2000 + aa,
    typeCode: tt,
    model: type?.[2] ?? null,
    kind: type?.[0] ?? 'unknown',
    phases: type?.[1] ?? null,
    serial: raw.slice(6),
  }
}
