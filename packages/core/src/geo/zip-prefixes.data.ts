/**
 * US ZIP code → region and zones, by 3-digit prefix with 5-digit corrections. A prefix that straddles a zone
 * boundary lists every zone it touches (the call must be lawful in all of them); the 5-digit table narrows the
 * places the reference calls out (compliance-rules.md §4.2). Unlisted prefixes (unassigned, military APO/FPO)
 * have no zone.
 *
 * Format of ZIP3_LINES: `FROM-TO REGION ZONES` or `PREFIX REGION ZONES`; later lines override earlier ones.
 */
export const ZIP_TABLE_VERSION = 'us-zip3-2026-11-27.1';

export const ZIP3_LINES = `
005 NY E
006-007 PR R
008 VI V
009 PR R
010-027 MA E
028-029 RI E
030-038 NH E
039-049 ME E
050-054 VT E
055 MA E
056-059 VT E
060-069 CT E
070-089 NJ E
100-149 NY E
150-196 PA E
197-199 DE E
200 DC E
201 VA E
202-205 DC E
206-219 MD E
220-246 VA E
247-268 WV E
270-289 NC E
290-299 SC E
300-319 GA E
320-339 FL E
324 FL C,E
325 FL C
341-342 FL E
344 FL E
346-347 FL E
349 FL E
350-352 AL C
354-369 AL C
370-372 TN C
373-374 TN E,C
375 TN C
376-379 TN E
380-385 TN C
386-397 MS C
398-399 GA E
400-418 KY E
420-424 KY C
425-427 KY E,C
430-458 OH E
460-462 IN E
463-464 IN C
465-466 IN E,C
467-474 IN E
475 IN E,C
476-477 IN C
478-479 IN E
480-497 MI E
498-499 MI E,C
500-516 IA C
520-528 IA C
530-532 WI C
534-535 WI C
537-549 WI C
550-551 MN C
553-567 MN C
570-574 SD C
575-576 SD C,M
577 SD M
580-584 ND C
585 ND C,M
586 ND M,C
587 ND C
588 ND C,M
590-599 MT M
600-620 IL C
622-631 IL C
630-631 MO C
633-641 MO C
644-658 MO C
660-662 KS C
664-676 KS C
677-678 KS C,M
679 KS C
680-681 NE C
683-689 NE C
690-692 NE C,M
693 NE M
700-701 LA C
703-708 LA C
710-714 LA C
716-729 AR C
730-731 OK C
733 TX C
734-741 OK C
743-749 OK C
750-797 TX C
798-799 TX M
800-816 CO M
820-831 WY M
832-834 ID M
835 ID P,M
836-837 ID M
838 ID P
840-847 UT M
850-853 AZ A
855-857 AZ A
859-860 AZ A,M
863-865 AZ A,M
870-875 NM M
877-884 NM M
885 TX M
889-891 NV P
893-895 NV P
897 NV P
898 NV P,M
900-908 CA P
910-928 CA P
930-961 CA P
967-968 HI H
969 GU G,S
970-978 OR P
979 OR M,P
980-986 WA P
988-994 WA P
995 AK K
996 AK K,J
997-999 AK K
`;

/** Five-digit corrections: places where the prefix is wrong or needlessly wide (compliance-rules.md §4.2). */
export const ZIP5_OVERRIDES: Readonly<Record<string, [string, string]>> = {
  '42101': ['KY', 'C'],
  '47708': ['IN', 'C'],
  '46320': ['IN', 'C'],
  '97914': ['OR', 'M'],
  '89883': ['NV', 'M'],
  '99546': ['AK', 'J'],
  '00901': ['PR', 'R'],
  '32401': ['FL', 'C'],
  '32501': ['FL', 'C'],
  '57701': ['SD', 'M'],
  '58601': ['ND', 'M'],
  '69101': ['NE', 'C'],
  '67735': ['KS', 'M'],
  '79901': ['TX', 'M'],
  '86515': ['AZ', 'M'],
  '86001': ['AZ', 'A'],
  '99501': ['AK', 'K'],
  '96701': ['HI', 'H'],
  '83814': ['ID', 'P'],
  '88220': ['NM', 'M'],
  '96910': ['GU', 'G'],
  '96950': ['MP', 'S'],
  '96799': ['AS', 'W'],
};
