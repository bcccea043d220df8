/** The starter's own interface texts (the content, topic names and week titles come from the API). */
import type { Locale } from "../src/client";

export interface Strings {
  site: string;
  home: string;
  archive: string;
  topics: string;
  latestWeek: string;
  thisWeek: string;
  related: string;
  languages: string;
  newer: string;
  older: string;
  pageOf: (page: number, pages: number) => string;
  byline: string;
  figures: string;
  notFoundTitle: string;
  notFoundText: string;
  errorTitle: string;
  errorText: string;
  previewBanner: string;
  previewRefused: Record<"invalid" | "expired" | "revoked" | "outdated", string>;
  missingLanguage: (language: string) => string;
  noArticles: string;
}

export const STRINGS: Record<Locale, Strings> = {
  en: {
    site: "Situation in Belarus",
    home: "Home",
    archive: "Archive",
    topics: "Topics",
    latestWeek: "Latest week",
    thisWeek: "This week",
    related: "Related articles",
    languages: "Languages",
    newer: "Newer",
    older: "Older",
    pageOf: (page, pages) => `Page ${page} of ${pages}`,
    byline: "By",
    figures: "Key figures",
    notFoundTitle: "Page not found",
    notFoundText: "There is no page at this address. It may have moved, or it is not published.",
    errorTitle: "Temporarily unavailable",
    errorText: "The content could not be loaded. Please try again in a minute.",
    previewBanner: "Preview of a draft: readers do not see this version yet.",
    previewRefused: {
      invalid: "This preview link is not valid.",
      expired: "This preview has expired: open it again from the admin.",
      revoked: "This preview was withdrawn.",
      outdated: "This preview shows an older draft: open it again from the admin.",
    },
    missingLanguage: (language) => `Not available in ${language}: home page`,
    noArticles: "No articles yet.",
  },
  be: {
    site: "Сітуацыя ў Беларусі",
    home: "Галоўная",
    archive: "Архіў",
    topics: "Тэмы",
    latestWeek: "Апошні тыдзень",
    thisWeek: "Гэты тыдзень",
    related: "Звязаныя артыкулы",
    languages: "Мовы",
    newer: "Навейшыя",
    older: "Старэйшыя",
    pageOf: (page, pages) => `Старонка ${page} з ${pages}`,
    byline: "Аўтары:",
    figures: "Лічбы",
    notFoundTitle: "Старонка не знойдзена",
    notFoundText: "Па гэтым адрасе старонкі няма. Магчыма, яна пераехала ці не апублікаваная.",
    errorTitle: "Часова недаступна",
    errorText: "Не ўдалося загрузіць змест. Паспрабуйце зноў праз хвіліну.",
    previewBanner: "Папярэдні прагляд чарнавіка: чытачы гэтай версіі яшчэ не бачаць.",
    previewRefused: {
      invalid: "Гэтая спасылка на папярэдні прагляд несапраўдная.",
      expired: "Тэрмін папярэдняга прагляду скончыўся: адкрыйце яго зноў з адмінкі.",
      revoked: "Гэты папярэдні прагляд адкліканы.",
      outdated: "Гэта старэйшы чарнавік: адкрыйце папярэдні прагляд зноў з адмінкі.",
    },
    missingLanguage: (language) => `${language}: няма, галоўная старонка`,
    noArticles: "Артыкулаў пакуль няма.",
  },
  ru: {
    site: "Ситуация в Беларуси",
    home: "Главная",
    archive: "Архив",
    topics: "Темы",
    latestWeek: "Последняя неделя",
    thisWeek: "Эта неделя",
    related: "Статьи по теме",
    languages: "Языки",
    newer: "Новее",
    older: "Старше",
    pageOf: (page, pages) => `Страница ${page} из ${pages}`,
    byline: "Авторы:",
    figures: "Цифры",
    notFoundTitle: "Страница не найдена",
    notFoundText: "По этому адресу страницы нет. Возможно, она переехала или не опубликована.",
    errorTitle: "Временно недоступно",
    errorText: "Не удалось загрузить материалы. Попробуйте снова через минуту.",
    previewBanner: "Предпросмотр черновика: читатели этой версии ещё не видят.",
    previewRefused: {
      invalid: "Эта ссылка на предпросмотр недействительна.",
      expired: "Срок предпросмотра истёк: откройте его снова из админки.",
      revoked: "Этот предпросмотр отозван.",
      outdated: "Это более старый черновик: откройте предпросмотр снова из админки.",
    },
    missingLanguage: (language) => `${language}: нет, главная страница`,
    noArticles: "Статей пока нет.",
  },
};
