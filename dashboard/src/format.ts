// How values read on screen.
export function time(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toLocaleString();
}

export function percent(ratio: number | null | undefined): string {
  return ratio === null || ratio === undefined ? '—' : `${(ratio * 100).toFixed(1)} %`;
}

export function ms(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${Math.round(value)} ms`;
}
