import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

// A callee's local time zone, from their number. A country with one zone has it; for the US and
// Canada the area code names the zone, and for Australia the area digit; every other country
// with several zones gets its most populous one (Russia: Moscow, Brazil: São Paulo, Mexico:
// Mexico City, Indonesia: Jakarta…). A contact's own `timezone` column wins over all of this.
// Countries and their zones come from the IANA tz database's zone.tab.

/** The zone of each country (ISO 3166 alpha-2): its only one, or its most populous. */
const COUNTRY_ZONE: Record<string, string> = { AD:'Europe/Andorra', AE:'Asia/Dubai', AF:'Asia/Kabul', AG:'America/Antigua', AI:'America/Anguilla', AL:'Europe/Tirane', AM:'Asia/Yerevan', AO:'Africa/Luanda', AQ:'Antarctica/McMurdo', AR:'America/Argentina/Buenos_Aires', AS:'Pacific/Pago_Pago', AT:'Europe/Vienna', AU:'Australia/Sydney', AW:'America/Aruba', AX:'Europe/Mariehamn', AZ:'Asia/Baku', BA:'Europe/Sarajevo', BB:'America/Barbados', BD:'Asia/Dhaka', BE:'Europe/Brussels', BF:'Africa/Ouagadougou', BG:'Europe/Sofia', BH:'Asia/Bahrain', BI:'Africa/Bujumbura', BJ:'Africa/Porto-Novo', BL:'America/St_Barthelemy', BM:'Atlantic/Bermuda', BN:'Asia/Brunei', BO:'America/La_Paz', BQ:'America/Kralendijk', BR:'America/Sao_Paulo', BS:'America/Nassau', BT:'Asia/Thimphu', BW:'Africa/Gaborone', BY:'Europe/Minsk', BZ:'America/Belize', CA:'America/Toronto', CC:'Indian/Cocos', CD:'Africa/Kinshasa', CF:'Africa/Bangui', CG:'Africa/Brazzaville', CH:'Europe/Zurich', CI:'Africa/Abidjan', CK:'Pacific/Rarotonga', CL:'America/Santiago', CM:'Africa/Douala', CN:'Asia/Shanghai', CO:'America/Bogota', CR:'America/Costa_Rica', CU:'America/Havana', CV:'Atlantic/Cape_Verde', CW:'America/Curacao', CX:'Indian/Christmas', CY:'Asia/Nicosia', CZ:'Europe/Prague', DE:'Europe/Berlin', DJ:'Africa/Djibouti', DK:'Europe/Copenhagen', DM:'America/Dominica', DO:'America/Santo_Domingo', DZ:'Africa/Algiers', EC:'America/Guayaquil', EE:'Europe/Tallinn', EG:'Africa/Cairo', EH:'Africa/El_Aaiun', ER:'Africa/Asmara', ES:'Europe/Madrid', ET:'Africa/Addis_Ababa', FI:'Europe/Helsinki', FJ:'Pacific/Fiji', FK:'Atlantic/Stanley', FM:'Pacific/Chuuk', FO:'Atlantic/Faroe', FR:'Europe/Paris', GA:'Africa/Libreville', GB:'Europe/London', GD:'America/Grenada', GE:'Asia/Tbilisi', GF:'America/Cayenne', GG:'Europe/Guernsey', GH:'Africa/Accra', GI:'Europe/Gibraltar', GL:'America/Nuuk', GM:'Africa/Banjul', GN:'Africa/Conakry', GP:'America/Guadeloupe', GQ:'Africa/Malabo', GR:'Europe/Athens', GS:'Atlantic/South_Georgia', GT:'America/Guatemala', GU:'Pacific/Guam', GW:'Africa/Bissau', GY:'America/Guyana', HK:'Asia/Hong_Kong', HN:'America/Tegucigalpa', HR:'Europe/Zagreb', HT:'America/Port-au-Prince', HU:'Europe/Budapest', ID:'Asia/Jakarta', IE:'Europe/Dublin', IL:'Asia/Jerusalem', IM:'Europe/Isle_of_Man', IN:'Asia/Kolkata', IO:'Indian/Chagos', IQ:'Asia/Baghdad', IR:'Asia/Tehran', IS:'Atlantic/Reykjavik', IT:'Europe/Rome', JE:'Europe/Jersey', JM:'America/Jamaica', JO:'Asia/Amman', JP:'Asia/Tokyo', KE:'Africa/Nairobi', KG:'Asia/Bishkek', KH:'Asia/Phnom_Penh', KI:'Pacific/Tarawa', KM:'Indian/Comoro', KN:'America/St_Kitts', KP:'Asia/Pyongyang', KR:'Asia/Seoul', KW:'Asia/Kuwait', KY:'America/Cayman', KZ:'Asia/Almaty', LA:'Asia/Vientiane', LB:'Asia/Beirut', LC:'America/St_Lucia', LI:'Europe/Vaduz', LK:'Asia/Colombo', LR:'Africa/Monrovia', LS:'Africa/Maseru', LT:'Europe/Vilnius', LU:'Europe/Luxembourg', LV:'Europe/Riga', LY:'Africa/Tripoli', MA:'Africa/Casablanca', MC:'Europe/Monaco', MD:'Europe/Chisinau', ME:'Europe/Podgorica', MF:'America/Marigot', MG:'Indian/Antananarivo', MH:'Pacific/Majuro', MK:'Europe/Skopje', ML:'Africa/Bamako', MM:'Asia/Yangon', MN:'Asia/Ulaanbaatar', MO:'Asia/Macau', MP:'Pacific/Saipan', MQ:'America/Martinique', MR:'Africa/Nouakchott', MS:'America/Montserrat', MT:'Europe/Malta', MU:'Indian/Mauritius', MV:'Indian/Maldives', MW:'Africa/Blantyre', MX:'America/Mexico_City', MY:'Asia/Kuala_Lumpur', MZ:'Africa/Maputo', NA:'Africa/Windhoek', NC:'Pacific/Noumea', NE:'Africa/Niamey', NF:'Pacific/Norfolk', NG:'Africa/Lagos', NI:'America/Managua', NL:'Europe/Amsterdam', NO:'Europe/Oslo', NP:'Asia/Kathmandu', NR:'Pacific/Nauru', NU:'Pacific/Niue', NZ:'Pacific/Auckland', OM:'Asia/Muscat', PA:'America/Panama', PE:'America/Lima', PF:'Pacific/Tahiti', PG:'Pacific/Port_Moresby', PH:'Asia/Manila', PK:'Asia/Karachi', PL:'Europe/Warsaw', PM:'America/Miquelon', PN:'Pacific/Pitcairn', PR:'America/Puerto_Rico', PS:'Asia/Hebron', PT:'Europe/Lisbon', PW:'Pacific/Palau', PY:'America/Asuncion', QA:'Asia/Qatar', RE:'Indian/Reunion', RO:'Europe/Bucharest', RS:'Europe/Belgrade', RU:'Europe/Moscow', RW:'Africa/Kigali', SA:'Asia/Riyadh', SB:'Pacific/Guadalcanal', SC:'Indian/Mahe', SD:'Africa/Khartoum', SE:'Europe/Stockholm', SG:'Asia/Singapore', SH:'Atlantic/St_Helena', SI:'Europe/Ljubljana', SJ:'Arctic/Longyearbyen', SK:'Europe/Bratislava', SL:'Africa/Freetown', SM:'Europe/San_Marino', SN:'Africa/Dakar', SO:'Africa/Mogadishu', SR:'America/Paramaribo', SS:'Africa/Juba', ST:'Africa/Sao_Tome', SV:'America/El_Salvador', SX:'America/Lower_Princes', SY:'Asia/Damascus', SZ:'Africa/Mbabane', TC:'America/Grand_Turk', TD:'Africa/Ndjamena', TF:'Indian/Kerguelen', TG:'Africa/Lome', TH:'Asia/Bangkok', TJ:'Asia/Dushanbe', TK:'Pacific/Fakaofo', TL:'Asia/Dili', TM:'Asia/Ashgabat', TN:'Africa/Tunis', TO:'Pacific/Tongatapu', TR:'Europe/Istanbul', TT:'America/Port_of_Spain', TV:'Pacific/Funafuti', TW:'Asia/Taipei', TZ:'Africa/Dar_es_Salaam', UA:'Europe/Kyiv', UG:'Africa/Kampala', UM:'Pacific/Midway', US:'America/New_York', UY:'America/Montevideo', UZ:'Asia/Tashkent', VA:'Europe/Vatican', VC:'America/St_Vincent', VE:'America/Caracas', VG:'America/Tortola', VI:'America/St_Thomas', VN:'Asia/Ho_Chi_Minh', VU:'Pacific/Efate', WF:'Pacific/Wallis', WS:'Pacific/Apia', YE:'Asia/Aden', YT:'Indian/Mayotte', ZA:'Africa/Johannesburg', ZM:'Africa/Lusaka', ZW:'Africa/Harare' };

/** North American area codes by zone, where they are not the country's default (US: New York, CA: Toronto). */
const AREA_CODES: Record<string, string> = {
  // United States
  'America/Chicago':
    '205 251 256 334 659 938 479 501 870 327 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872 319 515 563 641 712 316 620 785 913 225 318 337 504 985 457 218 320 507 612 651 763 952 924 228 601 662 769 314 417 557 573 636 660 816 975 308 402 531 701 605 405 539 572 580 918 210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 262 274 414 534 608 715 920 353 850 615 629 731 901 931 270 364 219',
  'America/Denver': '303 719 720 970 983 208 986 406 505 575 385 435 801 307 915',
  'America/Phoenix': '480 520 602 623 928',
  'America/Los_Angeles':
    '209 213 279 310 323 341 350 369 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951 702 725 775 458 503 541 971 206 253 360 425 509 564',
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  // Canada
  'America/Vancouver': '236 250 604 672 778',
  'America/Edmonton': '368 403 587 780 825 867',
  'America/Regina': '306 474 639',
  'America/Winnipeg': '204 431 584',
  'America/Halifax': '782 902 506 428',
  'America/St_Johns': '709 879',
};
const AREA_ZONE = new Map(Object.entries(AREA_CODES).flatMap(([zone, codes]) => codes.split(' ').map((c) => [c, zone] as const)));

/** A phone number read from a contact list: E.164, its country, and its time zone. */
export interface ReadNumber {
  e164: string;
  country: string | undefined;
  timeZone: string;
  /** How the zone was found: the number's area code, its country, or the country's most populous zone. */
  zoneFrom: 'area code' | 'country' | 'most populous';
}

/** Reads a number (E.164, or national in `defaultCountry`); throws saying why it is not a callable number. */
export function readNumber(raw: string, defaultCountry?: string): ReadNumber {
  const text = raw.trim();
  if (!text) throw new Error('no phone number');
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode | undefined);
  if (!parsed) throw new Error(`"${text}" is not a phone number${defaultCountry || text.startsWith('+') ? '' : ' (write it as +<country code>…, or give a default country)'}`);
  if (!parsed.isValid()) throw new Error(`"${text}" is not a valid number${parsed.country ? ` in ${parsed.country}` : ''}`);
  return { e164: parsed.number, country: parsed.country, ...zoneOf(parsed.country, parsed.nationalNumber) };
}

function zoneOf(country: string | undefined, national: string): { timeZone: string; zoneFrom: ReadNumber['zoneFrom'] } {
  if (country === 'US' || country === 'CA') {
    const zone = AREA_ZONE.get(national.slice(0, 3));
    if (zone) return { timeZone: zone, zoneFrom: 'area code' };
  }
  if (country === 'AU') {
    const zone = national.startsWith('2') ? 'Australia/Sydney' : national.startsWith('3') ? 'Australia/Melbourne' : national.startsWith('7') ? 'Australia/Brisbane' : national.startsWith('889') ? 'Australia/Darwin' : national.startsWith('88') ? 'Australia/Adelaide' : national.startsWith('8') ? 'Australia/Perth' : undefined;
    if (zone) return { timeZone: zone, zoneFrom: 'area code' };
  }
  const zone = country ? COUNTRY_ZONE[country] : undefined;
  if (!zone) return { timeZone: 'UTC', zoneFrom: 'most populous' };
  return { timeZone: zone, zoneFrom: MULTI_ZONE.has(country!) ? 'most populous' : 'country' };
}

/** Countries spanning several zones (zone.tab), where the number alone may not tell which. */
const MULTI_ZONE = new Set('AQ AR AU BR CA CD CL CN CY DE EC ES FM GL ID KI KZ MH MN MX MY NZ PF PG PS PT RU UA UM US UZ'.split(' '));
