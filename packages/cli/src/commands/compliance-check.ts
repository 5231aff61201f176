import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decide } from '@outdial/core/compliance/decide';
import { checkRequestShape } from '@outdial/core/compliance/request-shape';
import type { ComplianceData } from '@outdial/core/compliance/rule-packs';
import { DEFAULT_COMPLIANCE_DATA } from '@outdial/core/compliance/rule-packs';
import { applyRuleOverrides } from '@outdial/core/compliance/rule-overrides';
import type { CliCommand, CliIo } from '../command.ts';
import { parseFlags, UsageError } from '../command.ts';

async function loadRules(dir: string): Promise<ComplianceData> {
  let text: string;
  try {
    text = await readFile(join(dir, 'rules.json'), 'utf8');
  } catch (error) {
    throw new UsageError(`--rules ${dir}: cannot read rules.json (${error instanceof Error ? error.message : String(error)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`--rules ${dir}/rules.json is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = applyRuleOverrides(DEFAULT_COMPLIANCE_DATA, parsed);
  if (!result.ok) throw new UsageError(`--rules ${dir}/rules.json: ${result.message}`);
  return result.data;
}

async function write(io: CliIo, line: string): Promise<void> {
  if (!io.stdout.write(`${line}\n`)) await once(io.stdout, 'drain');
}

const command: CliCommand = {
  summary: 'decide compliance requests (JSON Lines)',
  help: `outdial compliance check [--rules DIR] < requests.jsonl > decisions.jsonl

Decides, for each request, whether the dial would be lawful at its instant: allow, defer (with notBefore, the first
instant every rule allows, exact to the second) or block, with the reasons, every rule evaluated and the evidence.
Pure: no database, no network; zones, area codes, holidays and rule tables ship with Outdial.

Input: JSON Lines on standard input, one request per line (only "id", "at" and "phone" are required; see
docs/compliance.md). Output: one decision per line, in the same order. Blank lines are skipped.
A line that is not valid JSON, or misses a required field, gets
  {"id": ..., "error": {"code": "invalid_json|not_an_object|missing_field|invalid_field", "message": "line N: ..."}}
and the other lines are still decided.

  --rules DIR   apply DIR/rules.json over the shipped rules: {"version": "...", "disableRules": ["RULE-ID"],
                "stateWindows": [{"state": "NJ", "citation": "...", "weekdays": ["08:00","20:00"],
                "saturday": [...], "sunday": null, "holidays": "US-FED", "effectiveFrom": "2026-01-01"}]}

Exit status: 0 when every line was decided (whatever the verdicts); 2 when a line is not valid JSON or misses a
required field, or the flags are wrong.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, { rules: { type: 'string' } });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0] ?? ''}": requests are read from standard input`);
    const data = typeof values['rules'] === 'string' ? await loadRules(values['rules']) : DEFAULT_COMPLIANCE_DATA;
    let lineNo = 0;
    let errors = 0;
    for await (const line of createInterface({ input: io.stdin, crlfDelay: Infinity })) {
      lineNo += 1;
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch (error) {
        errors += 1;
        await write(io, JSON.stringify({ id: null, error: { code: 'invalid_json', message: `line ${lineNo}: ${error instanceof Error ? error.message : String(error)}` } }));
        continue;
      }
      const shape = checkRequestShape(value);
      if (!shape.ok) {
        errors += 1;
        await write(io, JSON.stringify({ id: shape.id, error: { code: shape.error.code, message: `line ${lineNo}: ${shape.error.message}` } }));
        continue;
      }
      await write(io, JSON.stringify(decide(shape.request, data)));
    }
    if (errors > 0) io.stderr.write(`outdial compliance check: ${errors} line(s) could not be decided\n`);
    return errors > 0 ? 2 : 0;
  },
};
export default command;
