import type { ContactView } from '../api/types.ts';

export interface ScriptContext {
  contact: ContactView;
  agentName: string;
  campaignName: string;
}

/** Every variable a script may use: the contact's fields, its custom attributes, the agent and the campaign. */
export function scriptVariables(ctx: ScriptContext): Record<string, string> {
  const { contact } = ctx;
  const vars: Record<string, string> = {};
  for (const [key, value] of Object.entries(contact.attributes)) {
    if (value !== null && value !== undefined) vars[key] = String(value);
  }
  const fullName = [contact.firstName, contact.lastName].filter((p) => p !== null && p !== '').join(' ');
  Object.assign(vars, {
    firstName: contact.firstName ?? '',
    lastName: contact.lastName ?? '',
    fullName,
    name: fullName,
    phone: contact.phone,
    city: contact.city ?? '',
    region: contact.region ?? '',
    postalCode: contact.postalCode ?? '',
    agentName: ctx.agentName,
    agent: ctx.agentName,
    campaignName: ctx.campaignName,
    campaign: ctx.campaignName,
  });
  return vars;
}

/**
 * Fills `{{name}}`, `{{ contact.name }}` and `{name}` placeholders. An unknown variable stays as written so a
 * broken script is visible to the agent and the admin instead of silently reading blank.
 */
export function fillScript(template: string, ctx: ScriptContext): string {
  const vars = scriptVariables(ctx);
  function lookup(whole: string, raw: string): string {
    const name = raw.trim().replace(/^(contact|attributes|attr)\./, '');
    return Object.hasOwn(vars, name) ? (vars[name] ?? '') : whole;
  }
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, lookup).replace(/\{([\w.]+)\}/g, lookup);
}
