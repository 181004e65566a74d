// Severity shown three ways (colour alone fails on a dim screen and for colour-blind staff): a text label, a
// shape, and a colour class.
import type { Severity } from './types';

export const SEVERITY_LABEL: Record<Severity, string> = {
  critical: 'CRITICAL',
  high: 'HIGH',
  medium: 'MEDIUM',
  low: 'LOW',
  info: 'INFO',
};

/** Distinct glyphs: filled shapes for the severities that need action, hollow ones below. */
export const SEVERITY_SHAPE: Record<Severity, string> = {
  critical: '\u25C6', // ◆
  high: '\u25B2', // ▲
  medium: '\u25A0', // ■
  low: '\u25CB', // ○
  info: '\u00B7', // ·
};
