// The CSR taxonomy: what a notice can ask for, what a firm can offer, and
// which offer satisfies which ask. Labels are Brygga's own short wording.
export type Label = { sv: string; en: string };

/** eForms code lists on the notice side (BT-06, BT-775, BT-774, BT-805, BT-71). */
export const EFORMS_CRITERIA: Record<'strategic' | 'social' | 'green' | 'gpp' | 'reserved', Record<string, Label>> = {
  strategic: {
    'env-imp': { sv: 'Minskad miljöpåverkan', en: 'Reduced environmental impact' },
    'soc-obj': { sv: 'Social hållbarhet', en: 'Social objectives' },
    'inn-pur': { sv: 'Innovation', en: 'Innovative purchase' },
  },
  social: {
    'acc-all': { sv: 'Tillgänglighet för alla', en: 'Accessibility for all' },
    'et-eq': { sv: 'Jämlikhet mellan folkgrupper', en: 'Ethnic equality' },
    'gen-eq': { sv: 'Jämställdhet', en: 'Gender equality' },
    'hum-right': { sv: 'Mänskliga rättigheter i leveranskedjan', en: 'Human rights in supply chains' },
    opp: { sv: 'Jobb för personer långt från arbetsmarknaden', en: 'Jobs for people far from the labour market' },
    'work-cond': { sv: 'Rättvisa arbetsvillkor', en: 'Fair working conditions' },
    other: { sv: 'Annat socialt hänsyn', en: 'Other social objective' },
  },
  green: {
    'biodiv-eco': { sv: 'Biologisk mångfald', en: 'Biodiversity' },
    'circ-econ': { sv: 'Cirkulär ekonomi', en: 'Circular economy' },
    'clim-adapt': { sv: 'Klimatanpassning', en: 'Climate adaptation' },
    'clim-mitig': { sv: 'Minskad klimatpåverkan', en: 'Climate mitigation' },
    'pollu-prev': { sv: 'Minskade föroreningar', en: 'Pollution prevention' },
    'water-mar': { sv: 'Vatten och hav', en: 'Water and marine resources' },
    other: { sv: 'Annat miljöhänsyn', en: 'Other environmental objective' },
  },
  gpp: {
    eu: { sv: 'EU:s kriterier för grön upphandling', en: 'EU green public procurement criteria' },
    national: { sv: 'Nationella hållbarhetskriterier', en: 'National green procurement criteria' },
    other: { sv: 'Andra gröna kriterier', en: 'Other green criteria' },
  },
  reserved: {
    'res-ws': { sv: 'Reserverad för arbetsintegrerande sociala företag och skyddade verkstäder', en: 'Reserved for work-integration social enterprises and sheltered workshops' },
    'res-pub-ser': { sv: 'Reserverad för organisationer med offentligt uppdrag', en: 'Reserved for public-service mission organisations' },
  },
};

/** Requirement types Swedish officers write into notices (criteria.requirements). */
export const REQUIREMENTS = {
  'collective-agreement': { sv: 'Kollektivavtalsenliga villkor', en: 'Terms in line with collective agreements' },
  'employment-requirement': { sv: 'Sysselsättningskrav', en: 'Employment requirement' },
  'iso-14001': { sv: 'ISO 14001 eller EMAS', en: 'ISO 14001 or EMAS' },
  'iso-9001': { sv: 'ISO 9001', en: 'ISO 9001' },
  'iso-27001': { sv: 'ISO 27001', en: 'ISO 27001' },
  svanen: { sv: 'Svanenmärkt', en: 'Nordic Swan Ecolabel' },
  'eu-ecolabel': { sv: 'EU Ecolabel', en: 'EU Ecolabel' },
  fairtrade: { sv: 'Fairtrade', en: 'Fairtrade' },
  organic: { sv: 'Ekologiskt (KRAV eller EU-ekologiskt)', en: 'Organic' },
  'fossil-free-transport': { sv: 'Fossilfria transporter', en: 'Fossil-free transport' },
} satisfies Record<string, Label>;
export type Requirement = keyof typeof REQUIREMENTS;

/** What a firm can state in its profile. Certificates carry an expiry date. */
export const CAPABILITIES = {
  'iso-14001': { sv: 'ISO 14001-certifierad', en: 'ISO 14001 certified', certificate: true },
  emas: { sv: 'EMAS-registrerad', en: 'EMAS registered', certificate: true },
  'iso-9001': { sv: 'ISO 9001-certifierad', en: 'ISO 9001 certified', certificate: true },
  'iso-27001': { sv: 'ISO 27001-certifierad', en: 'ISO 27001 certified', certificate: true },
  svanen: { sv: 'Svanenlicens', en: 'Nordic Swan licence', certificate: true },
  'eu-ecolabel': { sv: 'EU Ecolabel-licens', en: 'EU Ecolabel licence', certificate: true },
  fairtrade: { sv: 'Fairtrade-licens', en: 'Fairtrade licence', certificate: true },
  organic: { sv: 'KRAV/ekologisk certifiering', en: 'Organic certification', certificate: true },
  mobelfakta: { sv: 'Möbelfakta', en: 'Möbelfakta', certificate: true },
  'collective-agreement': { sv: 'Kollektivavtal', en: 'Collective agreement', certificate: false },
  wise: { sv: 'Arbetsintegrerande socialt företag', en: 'Work-integration social enterprise', certificate: false },
  'sheltered-employment': { sv: 'Skyddad verkstad', en: 'Sheltered workshop', certificate: false },
  'employs-far-from-labour-market': { sv: 'Anställer personer långt från arbetsmarknaden', en: 'Employs people far from the labour market', certificate: false },
  apprenticeships: { sv: 'Erbjuder praktik och lärlingsplatser', en: 'Offers internships and apprenticeships', certificate: false },
  'young-company': { sv: 'Ungt företag (under 3 år)', en: 'Young company (under 3 years)', certificate: false },
  'fossil-free-transport': { sv: 'Fossilfria transporter', en: 'Fossil-free transport', certificate: false },
} satisfies Record<string, Label & { certificate: boolean }>;
export type Capability = keyof typeof CAPABILITIES;

/** Which capabilities satisfy a requirement. */
export const SATISFIES: Record<Requirement, Capability[]> = {
  'collective-agreement': ['collective-agreement'],
  'employment-requirement': ['wise', 'employs-far-from-labour-market', 'apprenticeships'],
  'iso-14001': ['iso-14001', 'emas'],
  'iso-9001': ['iso-9001'],
  'iso-27001': ['iso-27001'],
  svanen: ['svanen'],
  'eu-ecolabel': ['eu-ecolabel'],
  fairtrade: ['fairtrade'],
  organic: ['organic'],
  'fossil-free-transport': ['fossil-free-transport'],
};

/** Social and green objectives (not requirements) a firm's profile speaks to; meeting them raises the score. */
export const SUPPORTS: Record<string, Capability[]> = {
  'social:opp': ['wise', 'employs-far-from-labour-market', 'sheltered-employment'],
  'social:work-cond': ['collective-agreement'],
  'strategic:soc-obj': ['wise', 'employs-far-from-labour-market', 'apprenticeships', 'collective-agreement'],
  'strategic:env-imp': ['iso-14001', 'emas', 'svanen', 'eu-ecolabel', 'fossil-free-transport'],
  'green:clim-mitig': ['fossil-free-transport', 'iso-14001', 'emas'],
  'green:circ-econ': ['iso-14001', 'emas', 'mobelfakta'],
  'green:pollu-prev': ['iso-14001', 'emas', 'svanen'],
};

/** Who may take part in a reserved procurement (LOU 4:18, eForms res-ws). */
export const RESERVED_ELIGIBLE: Capability[] = ['wise', 'sheltered-employment'];

export function isRequirement(code: string): code is Requirement {
  return Object.hasOwn(REQUIREMENTS, code);
}

export function isCapability(code: string): code is Capability {
  return Object.hasOwn(CAPABILITIES, code);
}

export type HeldCapability = { capability: string; validUntil: string | null };

/** Capabilities in force on a day; an expired certificate counts as missing. */
export function capabilitiesInForce(held: HeldCapability[], today: string): Set<string> {
  return new Set(held.filter((c) => c.validUntil === null || c.validUntil >= today).map((c) => c.capability));
}

export function satisfies(requirement: string, held: Set<string>): boolean {
  const by = isRequirement(requirement) ? SATISFIES[requirement] : [requirement];
  return by.some((capability) => held.has(capability));
}

export function requirementLabel(code: string): Label {
  return isRequirement(code) ? REQUIREMENTS[code] : { sv: code, en: code };
}

export function criterionLabel(kind: keyof typeof EFORMS_CRITERIA, code: string): Label {
  return EFORMS_CRITERIA[kind][code] ?? { sv: code, en: code };
}
