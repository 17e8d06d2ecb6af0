/**
 * What an exported file is called and the title line it carries, from the run it shows:
 * `slotscope-<design>-<panel>-<short scenario>.<ext>`, the scenario as the URL's query would write
 * it (defaults left out), so two exports of different runs never share a name.
 */
import { queryFromScenario } from '../scenario/url.ts';
import type { Scenario } from '../scenario/scenario.ts';

/** Longest short-scenario part of a file name; a longer one is cut (the title keeps it whole). */
const MAX_SCENARIO_CHARS = 60;

/** The scenario's fields that differ from the defaults, as in the URL: "cpus=64&r=6", or "". */
export function scenarioQuery(scenario: Scenario): string {
  return queryFromScenario(scenario).replace(/^v=\d+&?/, '');
}

/** "cpus64-r6-slots3" (the non-default fields), "default" for the seed scenario. */
export function shortScenario(scenario: Scenario): string {
  const query = scenarioQuery(scenario);
  if (query === '') return 'default';
  const name = decodeURIComponent(query)
    .replaceAll('=', '')
    .replaceAll('&', '-')
    .replace(/[^A-Za-z0-9.-]+/g, '_');
  return name.length > MAX_SCENARIO_CHARS ? name.slice(0, MAX_SCENARIO_CHARS) : name;
}

/** A file name safe on every OS: letters, digits, dots, dashes and underscores only. */
export function exportFileName(
  design: string,
  panel: string,
  scenario: Scenario,
  extension: string,
): string {
  const safe = (part: string): string => part.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `slotscope-${safe(design)}-${safe(panel)}-${shortScenario(scenario)}.${safe(extension)}`;
}

/** The title line of an exported image: what, which design, which scenario, when. */
export function exportTitle(parts: {
  readonly panel: string;
  readonly design: string;
  readonly scenario: Scenario;
  readonly when: string;
}): string {
  const query = scenarioQuery(parts.scenario);
  return [
    `slotscope · ${parts.panel}`,
    parts.design,
    query === '' ? 'default scenario' : decodeURIComponent(query).replaceAll('&', ' '),
    parts.when,
  ]
    .filter((part) => part !== '')
    .join(' · ');
}
