import type uPlot from 'uplot'
import { axisNumbers, timeTicks } from './format.js'

/** The power series of the dashboard's charts: withdrawn (blue, filled) and, for producers, injected (green); lines break at nulls. */
export function powerSeries(producer: boolean, width: number): uPlot.Series[] {
  const series: uPlot.Series[] = [
    {},
    { label: 'VA', stroke: '#2f7de1', fill: 'rgba(47,125,225,0.15)', width, spanGaps: false },
  ]
  if (producer) series.push({ label: 'VA inj.', stroke: '#2ea44f', width, spanGaps: false })
  return series
}

/**
 * A time axis (epoch seconds, labelled in the dashboard's zone) and a power axis (French numbers),
 * in the text colour of `box` (the theme's muted colour, contrast >= 4.5:1) with a light grid.
 */
export function powerAxes(
  box: HTMLElement,
  time: Omit<uPlot.Axis, 'stroke' | 'grid' | 'values'>,
): uPlot.Axis[] {
  const stroke = getComputedStyle(box).color
  const grid = { stroke: 'rgba(128,128,128,0.25)', width: 1 }
  return [
    { ...time, stroke, grid, values: timeTicks },
    { stroke, grid, size: 60, values: axisNumbers },
  ]
}
