/** Default emission factor, g CO2e per kWh consumed. */
export const DEFAULT_CO2_G_PER_KWH = 52

/** Where the default comes from. */
export const DEFAULT_CO2_SOURCE =
  'ADEME Base Empreinte, French electricity "mix moyen", consumption, lifecycle (ACV): 0.052 kg CO2e/kWh (value as given in docs/tariffs.md; check the current database version). RTE Bilan électrique 2024 gives 21.7 g/kWh for direct emissions of production only, a narrower scope.'

/** Emissions of the energy withdrawn. */
export interface Carbon {
  readonly gPerKWh: number
  readonly kg: number
  readonly source: string
}

/** kWh × factor. */
export function carbon(
  importWh: number,
  gPerKWh = DEFAULT_CO2_G_PER_KWH,
  source = DEFAULT_CO2_SOURCE,
): Carbon {
  return { gPerKWh, kg: ((importWh / 1000) * gPerKWh) / 1000, source }
}
