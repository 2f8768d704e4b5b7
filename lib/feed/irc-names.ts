/**
 * Name tables for the 2015 IRC recent-changes feed, which names wikis by IRC channel and namespaces by
 * their (often localised) display name instead of ids.
 */

/** Canonical English namespace names (MediaWiki core + common extensions) → namespace id. */
const CANONICAL: Record<string, number> = {
  Media: -2, Special: -1, Main: 0, '': 0, Talk: 1, User: 2, 'User talk': 3, Wikipedia: 4, Project: 4,
  'Wikipedia talk': 5, 'Project talk': 5, File: 6, Image: 6, 'File talk': 7, MediaWiki: 8, 'MediaWiki talk': 9,
  Template: 10, 'Template talk': 11, Help: 12, 'Help talk': 13, Category: 14, 'Category talk': 15,
  Portal: 100, 'Portal talk': 101, Book: 108, 'Book talk': 109, Draft: 118, 'Draft talk': 119,
  TimedText: 710, 'TimedText talk': 711, Module: 828, 'Module talk': 829, Topic: 2600,
};

/**
 * Localised names seen in the 2015 sample for the namespaces that matter most to patrollers (user, user
 * talk, talk, project, file, template, category). Names that differ by wiki are left out. Anything not in
 * either table maps to UNKNOWN_NAMESPACE.
 */
const LOCALISED: Record<string, number> = {
  // talk (1)
  Diskussion: 1, Discussion: 1, Discussione: 1, Discusión: 1, Обсуждение: 1, Обговорення: 1, Overleg: 1,
  Dyskusja: 1, Keskustelu: 1, Tartışma: 1, Diskuse: 1, Discussão: 1, Discuție: 1, Discussió: 1, Arutelu: 1,
  Pogovor: 1, Συζήτηση: 1, שיחה: 1, ノート: 1, 'Thảo luận': 1, Eztabaida: 1, Քննարկում: 1,
  // user (2)
  Benutzer: 2, Benutzerin: 2, Utilisateur: 2, Utente: 2, Usuario: 2, Usuaria: 2, Usuário: 2, 'Usuário(a)': 2,
  Участник: 2, Участница: 2, Користувач: 2, Wikipedysta: 2, Wikipedystka: 2, Gebruiker: 2, Användare: 2,
  Bruker: 2, Bruger: 2, Pengguna: 2, Szerkesztő: 2, Kullanıcı: 2, Wikipedista: 2, משתמש: 2, משתמשת: 2,
  利用者: 2, 사용자: 2, مستخدم: 2, کاربر: 2, सदस्य: 2, 'Thành viên': 2, Χρήστης: 2, Usuari: 2,
  Մասնակից: 2, Удзельнік: 2,
  // user talk (3)
  'Benutzer Diskussion': 3, 'Benutzerin Diskussion': 3, 'Discussion utilisateur': 3,
  'Discussion utilisatrice': 3, 'Discussioni utente': 3, 'Usuario discusión': 3, 'Usuario Discusión': 3,
  'Usuário Discussão': 3, 'Usuário(a) Discussão': 3, 'Обсуждение участника': 3, 'Обсуждение участницы': 3,
  'Обговорення користувача': 3, 'Dyskusja wikipedysty': 3, 'Overleg gebruiker': 3, Användardiskussion: 3,
  Brukerdiskusjon: 3, Brugerdiskussion: 3, 'Pembicaraan Pengguna': 3, 'Perbincangan pengguna': 3,
  Szerkesztővita: 3, 'Kullanıcı mesaj': 3, 'Diskuse s wikipedistou': 3, 'Diskusia s redaktorom': 3,
  'שיחת משתמש': 3, 'שיחת משתמשת': 3, '利用者‐会話': 3, 사용자토론: 3, 'نقاش المستخدم': 3, 'بحث کاربر': 3,
  'सदस्य वार्ता': 3, 'Thảo luận Thành viên': 3, 'Συζήτηση χρήστη': 3, 'Usuari Discussió': 3,
  'Discuție Utilizator': 3, 'Keskustelu käyttäjästä': 3, 'Conversa usuario': 3, 'Разговор са корисником': 3,
  'Naudotojo aptarimas': 3, 'Մասնակցի քննարկում': 3,
  // project (4)
  Wikipédia: 4, Википедия: 4, Вікіпедія: 4, Вікіпедыя: 4, Уикипедия: 4, ויקיפדיה: 4, 위키백과: 4,
  ویکی‌پدیا: 4, ويكيبيديا: 4, Βικιπαίδεια: 4, Վիքիպեդիա: 4, Vikipedi: 4, Viquipèdia: 4, Wikipedie: 4,
  Wikipedija: 4,
  // file (6)
  Datei: 6, Файл: 6, ファイル: 6, پرونده: 6, Fail: 6,
  // template (10)
  Vorlage: 10, Modèle: 10, Plantilla: 10, Predefinição: 10, Шаблон: 10, Szablon: 10, Sjabloon: 10,
  Mall: 10, Mal: 10, Malline: 10, Sablon: 10, Šablona: 10, Şablon: 10, Skabelon: 10, Templat: 10, תבנית: 10,
  틀: 10, قالب: 10, الگو: 10, Կաղապար: 10,
  // category (14)
  Kategorie: 14, Catégorie: 14, Categoria: 14, Categoría: 14, Категория: 14, Категорія: 14, Kategoria: 14,
  Categorie: 14, Kategori: 14, Kategorija: 14, 분류: 14, رده: 14, تصنيف: 14, 'Thể loại': 14, Կատեգորիա: 14,
};

/** Namespace id for localised names we do not know. -1 is otherwise "Special", which never reaches recent changes. */
export const UNKNOWN_NAMESPACE = -1;

export function namespaceId(name: string): number {
  return CANONICAL[name] ?? LOCALISED[name] ?? UNKNOWN_NAMESPACE;
}

const PROJECT_SUFFIX: Record<string, string> = {
  wikipedia: 'wiki',
  wiktionary: 'wiktionary',
  wikibooks: 'wikibooks',
  wikinews: 'wikinews',
  wikiquote: 'wikiquote',
  wikisource: 'wikisource',
  wikiversity: 'wikiversity',
  wikivoyage: 'wikivoyage',
};

/** Special-case channels whose wiki id does not follow "<lang><project>". */
const SPECIAL_CHANNELS: Record<string, { wiki: string; host: string }> = {
  'commons.wikimedia': { wiki: 'commonswiki', host: 'commons.wikimedia.org' },
  'meta.wikimedia': { wiki: 'metawiki', host: 'meta.wikimedia.org' },
  'species.wikimedia': { wiki: 'specieswiki', host: 'species.wikimedia.org' },
  'incubator.wikimedia': { wiki: 'incubatorwiki', host: 'incubator.wikimedia.org' },
  'wikidata.wikipedia': { wiki: 'wikidatawiki', host: 'www.wikidata.org' },
  'mediawiki.wikipedia': { wiki: 'mediawikiwiki', host: 'www.mediawiki.org' },
  'outreach.wikipedia': { wiki: 'outreachwiki', host: 'outreach.wikimedia.org' },
};

/**
 * "#en.wikipedia" → enwiki, "#fr.wiktionary" → frwiktionary, "#zh-min-nan.wikipedia" → zh_min_nanwiki,
 * "#commons.wikimedia" → commonswiki. Unknown projects derive "<lang>_<project>" from the channel name.
 * Returns null when the channel is not of the form "#<name>.<project>".
 */
export function channelToWiki(channel: string): { wiki: string; serverUrl: string | null } | null {
  const m = /^#([a-z][a-z0-9-]{0,40})\.([a-z]{2,20})$/.exec(channel);
  if (!m) return null;
  const lang = m[1] as string;
  const project = m[2] as string;
  const special = SPECIAL_CHANNELS[`${lang}.${project}`];
  if (special) return { wiki: special.wiki, serverUrl: `https://${special.host}` };
  const db = lang.replace(/-/g, '_');
  const suffix = PROJECT_SUFFIX[project];
  if (suffix) return { wiki: `${db}${suffix}`, serverUrl: `https://${lang}.${project}.org` };
  return { wiki: `${db}_${project}`, serverUrl: null };
}
