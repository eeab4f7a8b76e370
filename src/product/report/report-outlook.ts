import { compareCodePoints } from '../shared/compare.js';
import { type OutlookLead, outlookSentence } from './outlook-lead.js';
import type { ReportOutlook } from './wandb-report-spec.js';

/** The Report's outlook from the overall run's leads; each company's name links its run where it has one. */
export function reportOutlook(
  leads: readonly OutlookLead[] | undefined,
  urlOf: (company: string) => string | undefined,
): ReportOutlook | undefined {
  if (leads === undefined || leads.length === 0) return undefined;
  return {
    month: leads[0]!.month,
    companies: leads.map((lead) => ({
      company: lead.company,
      status: lead.status,
      sentence: outlookSentence(lead),
      url: urlOf(lead.company),
    })),
  };
}

/** The companies' sections: those at risk first (in the outlook's order), then the rest by name. */
export function atRiskFirst(
  companies: readonly string[],
  leads: readonly OutlookLead[] | undefined,
): string[] {
  const atRisk = (leads ?? []).filter((l) => l.status === 'at risk').map((l) => l.company);
  const shown = new Set(companies);
  const first = atRisk.filter((c) => shown.has(c));
  const rest = companies.filter((c) => !first.includes(c)).sort(compareCodePoints);
  return [...first, ...rest];
}
