/**
 * NANP area codes (NPA) → region and candidate zones. Version below; regenerate from NANPA npa_report.csv plus the
 * manual corrections of compliance-rules.md §4.1 (multi-zone codes, overlays inheriting their parent's zones).
 *
 * Format: one line per region: `REGION DEFAULT_ZONES: NPA NPA NPA/ZONES ...`. REGION is an ISO 3166-2 code without
 * the country for the US and Canada (`US-KY` → `KY`, `CA-ON` → `ON` prefixed with `CA-`), or an ISO country for the
 * other NANP countries. A `/ZONES` suffix overrides the region's default zones for that NPA. Zone codes: zone-codes.ts.
 */
export const NANP_AREA_CODES_VERSION = 'nanp-npa-2026-11-27.1';

export const US_AREA_CODE_LINES = `
AL C: 205 251 256 334 483 659 938
AK K: 907/K,J
AZ A: 480 520 602 623 928/A,M
AR C: 327 479 501 870
CA P: 209 213 279 310 323 341 350 357 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 738 747 760 805 818 820 831 840 858 909 916 925 949 951
CO M: 303 719 720 970 983
CT E: 203 475 860 959
DE E: 302
DC E: 202 771
FL E: 239 305 321 324 352 386 407 448/E,C 561 645 656 689 727 728 754 772 786 813 850/E,C 863 904 941 954
GA E: 229 404 470 478 678 706 762 770 912 943
HI H: 808
ID M: 208/M,P 986/M,P
IL C: 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872
IN E: 219/C,E 260 317 463 574/E,C 765 812/E,C 930/E,C
IA C: 319 515 563 641 712
KS C: 316 620/C,M 785/C,M 913
KY E: 270/C,E 364/C,E 502 606/E,C 859
LA C: 225 318 337 457 504 985
ME E: 207
MD E: 227 240 301 410 443 667
MA E: 339 351 413 508 617 774 781 857 978
MI E: 231 248 269 313 517 586 616 679 734 810 906/E,C 947 989
MN C: 218 320 507 612 651 763 924 952
MS C: 228 471 601 662 769
MO C: 235 314 417 557 573 636 660 816 975
MT M: 406
NE C: 308/C,M 402 531
NV P: 702 725 775/P,M
NH E: 603
NJ E: 201 551 609 640 732 848 856 862 908 973
NM M: 505 575
NY E: 212 315 329 332 347 363 516 518 585 607 624 631 646 680 716 718 838 845 914 917 929 934
NC E: 252 336 472 704 743 828 910 919 980 984
ND C: 701/C,M
OH E: 216 220 234 283 326 330 380 419 436 440 513 567 614 740 937
OK C: 405 539 572 580 918
OR P: 458/P,M 503 541/P,M 971
PA E: 215 223 267 272 412 445 484 570 582 610 717 724 814 835 878
RI E: 401
SC E: 803 821 839 843 854 864
SD C: 605/C,M
TN C: 423/E,C 615 629 731 865/E 901 931/C,E
TX C: 210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 915/M,C 936 940 945 956 972 979
UT M: 385 435 801
VT E: 802
VA E: 276 434 540 571 686 703 757 804 826 948
WA P: 206 253 360 425 509 564
WV E: 304 681
WI C: 262 274 353 414 534 608 715 920
WY M: 307
PR R: 787 939
VI V: 340
GU G: 671
MP S: 670
AS W: 684
`;

export const CA_AREA_CODE_LINES = `
AB ce: 368 403 587 780 825
BC cv: 236/cv,ce,cd 250/cv,ce,cd 257/cv,ce,cd 604 672/cv,ce,cd 778/cv,ce,cd
MB cw: 204 431 584
NB ch: 428 506
NL cn: 709/cn,cg 879/cn,cg
NS ch: 782 902
ON ct: 226 249 289 343 365 382 387 416 437 519 548 613 647 683 705 742 753 807/ct,cw,ca 905 942
QC ct: 263 354 367/ct,ch,cb 418/ct,ch,cb 438 450 468 514 579 581/ct,ch,cb 819 873
SK cr: 306/cr,ce 474/cr,ce 639/cr,ce
YT cy: 867/cy,ce,ct,cw
`;

/** Other NANP countries: no rule pack ships for them, so a decision names the country and blocks as invalid. */
export const OTHER_NANP_COUNTRIES: Readonly<Record<string, string>> = {
  '242': 'BS', '246': 'BB', '264': 'AI', '268': 'AG', '284': 'VG', '345': 'KY', '441': 'BM', '473': 'GD',
  '649': 'TC', '658': 'JM', '876': 'JM', '664': 'MS', '721': 'SX', '758': 'LC', '767': 'DM', '784': 'VC',
  '809': 'DO', '829': 'DO', '849': 'DO', '868': 'TT', '869': 'KN',
};

/** US non-geographic codes: the called person may be anywhere in the country. */
export const US_NON_GEOGRAPHIC = ['800', '833', '844', '855', '866', '877', '888', '500', '521', '522', '523', '524', '525', '526', '527', '528', '529', '532', '533', '535', '538', '542', '543', '544', '545', '546', '547', '549', '550', '552', '553', '554', '556', '566', '569', '577', '578', '588', '589', '700', '710'];

/** Premium-rate NANP area codes and exchanges: never dialed by a campaign. */
export const NANP_PREMIUM_AREA_CODES = ['900'];
export const NANP_PREMIUM_EXCHANGES = ['976'];
