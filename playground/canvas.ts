/** What both canvases (the boundary and the charts) need: a drawing buffer as sharp as the screen. */

/**
 * Size a canvas's drawing buffer to its on-screen size times the device's pixel ratio (only when
 * that changed: resizing clears it) and return the ratio, by which CSS pixels scale to buffer pixels.
 */
export function fitCanvas(canvas: HTMLCanvasElement): number {
  const ratio = window.devicePixelRatio || 1
  const width = Math.round(canvas.clientWidth * ratio)
  const height = Math.round(canvas.clientHeight * ratio)
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width
    canvas.height = height
  }
  return ratio
}
