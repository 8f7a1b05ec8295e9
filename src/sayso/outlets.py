"""Outlet names from web domains: a table of well-known news sites, else a guess from the domain.

>>> outlet_for_url("https://www.themoscowtimes.com/2024/03/22/some-story")
'The Moscow Times'
>>> outlet_for_url("https://news.example-herald.org/story")
'Example Herald'
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

#: Registered domain (without ``www.``) → the outlet's own name.
OUTLETS: dict[str, str] = {
    # wires and agencies
    "reuters.com": "Reuters",
    "apnews.com": "Associated Press",
    "afp.com": "AFP",
    "bloomberg.com": "Bloomberg",
    "upi.com": "UPI",
    "dpa.com": "dpa",
    "efe.com": "EFE",
    "ansa.it": "ANSA",
    "kyodonews.net": "Kyodo News",
    "xinhuanet.com": "Xinhua",
    "news.cn": "Xinhua",
    "tass.com": "TASS",
    "tass.ru": "TASS",
    "interfax.ru": "Interfax",
    "interfax.com": "Interfax",
    "ria.ru": "RIA Novosti",
    "ukrinform.net": "Ukrinform",
    "ukrinform.ua": "Ukrinform",
    "pti.in": "Press Trust of India",
    "aa.com.tr": "Anadolu Agency",
    "yna.co.kr": "Yonhap",
    "en.yna.co.kr": "Yonhap",
    # United States
    "nytimes.com": "The New York Times",
    "washingtonpost.com": "The Washington Post",
    "wsj.com": "The Wall Street Journal",
    "usatoday.com": "USA Today",
    "latimes.com": "Los Angeles Times",
    "chicagotribune.com": "Chicago Tribune",
    "bostonglobe.com": "The Boston Globe",
    "sfchronicle.com": "San Francisco Chronicle",
    "nypost.com": "New York Post",
    "nydailynews.com": "New York Daily News",
    "cnn.com": "CNN",
    "foxnews.com": "Fox News",
    "nbcnews.com": "NBC News",
    "cbsnews.com": "CBS News",
    "abcnews.go.com": "ABC News",
    "msnbc.com": "MSNBC",
    "cnbc.com": "CNBC",
    "npr.org": "NPR",
    "pbs.org": "PBS",
    "politico.com": "Politico",
    "axios.com": "Axios",
    "thehill.com": "The Hill",
    "theatlantic.com": "The Atlantic",
    "newyorker.com": "The New Yorker",
    "time.com": "Time",
    "newsweek.com": "Newsweek",
    "vox.com": "Vox",
    "slate.com": "Slate",
    "huffpost.com": "HuffPost",
    "buzzfeednews.com": "BuzzFeed News",
    "propublica.org": "ProPublica",
    "theintercept.com": "The Intercept",
    "motherjones.com": "Mother Jones",
    "vice.com": "Vice",
    "businessinsider.com": "Business Insider",
    "forbes.com": "Forbes",
    "fortune.com": "Fortune",
    "marketwatch.com": "MarketWatch",
    "voanews.com": "Voice of America",
    "rferl.org": "Radio Free Europe/Radio Liberty",
    "csmonitor.com": "The Christian Science Monitor",
    "foreignpolicy.com": "Foreign Policy",
    "defenseone.com": "Defense One",
    "militarytimes.com": "Military Times",
    "semafor.com": "Semafor",
    "thedailybeast.com": "The Daily Beast",
    "wired.com": "Wired",
    "theverge.com": "The Verge",
    "arstechnica.com": "Ars Technica",
    "techcrunch.com": "TechCrunch",
    # United Kingdom and Ireland
    "bbc.co.uk": "BBC",
    "bbc.com": "BBC",
    "theguardian.com": "The Guardian",
    "guardian.co.uk": "The Guardian",
    "thetimes.co.uk": "The Times",
    "telegraph.co.uk": "The Telegraph",
    "ft.com": "Financial Times",
    "economist.com": "The Economist",
    "independent.co.uk": "The Independent",
    "dailymail.co.uk": "Daily Mail",
    "mirror.co.uk": "Daily Mirror",
    "thesun.co.uk": "The Sun",
    "express.co.uk": "Daily Express",
    "standard.co.uk": "Evening Standard",
    "inews.co.uk": "i",
    "news.sky.com": "Sky News",
    "sky.com": "Sky News",
    "channel4.com": "Channel 4 News",
    "itv.com": "ITV News",
    "newstatesman.com": "New Statesman",
    "spectator.co.uk": "The Spectator",
    "scotsman.com": "The Scotsman",
    "heraldscotland.com": "The Herald",
    "irishtimes.com": "The Irish Times",
    "independent.ie": "Irish Independent",
    "rte.ie": "RTÉ",
    # Europe
    "dw.com": "Deutsche Welle",
    "spiegel.de": "Der Spiegel",
    "zeit.de": "Die Zeit",
    "faz.net": "Frankfurter Allgemeine Zeitung",
    "sueddeutsche.de": "Süddeutsche Zeitung",
    "welt.de": "Die Welt",
    "bild.de": "Bild",
    "tagesschau.de": "Tagesschau",
    "lemonde.fr": "Le Monde",
    "lefigaro.fr": "Le Figaro",
    "liberation.fr": "Libération",
    "france24.com": "France 24",
    "rfi.fr": "RFI",
    "euronews.com": "Euronews",
    "elpais.com": "El País",
    "elmundo.es": "El Mundo",
    "corriere.it": "Corriere della Sera",
    "repubblica.it": "la Repubblica",
    "nrc.nl": "NRC",
    "volkskrant.nl": "de Volkskrant",
    "politico.eu": "Politico Europe",
    "swissinfo.ch": "Swissinfo",
    "nzz.ch": "Neue Zürcher Zeitung",
    "derstandard.at": "Der Standard",
    "thelocal.com": "The Local",
    "svt.se": "SVT",
    "yle.fi": "Yle",
    "nrk.no": "NRK",
    "kathimerini.gr": "Kathimerini",
    "notesfrompoland.com": "Notes from Poland",
    "balkaninsight.com": "Balkan Insight",
    "euractiv.com": "Euractiv",
    # Russia, Ukraine and the region
    "themoscowtimes.com": "The Moscow Times",
    "meduza.io": "Meduza",
    "novayagazeta.ru": "Novaya Gazeta",
    "novayagazeta.eu": "Novaya Gazeta Europe",
    "verstka.media": "Vyorstka",
    "kommersant.ru": "Kommersant",
    "vedomosti.ru": "Vedomosti",
    "rbc.ru": "RBC",
    "rt.com": "RT",
    "kyivindependent.com": "The Kyiv Independent",
    "kyivpost.com": "Kyiv Post",
    "pravda.com.ua": "Ukrainska Pravda",
    "theinsider.media": "The Insider",
    "currenttime.tv": "Current Time",
    "bellingcat.com": "Bellingcat",
    "occrp.org": "OCCRP",
    "eurasianet.org": "Eurasianet",
    "civil.ge": "Civil Georgia",
    # Middle East and Africa
    "aljazeera.com": "Al Jazeera",
    "aljazeera.net": "Al Jazeera",
    "haaretz.com": "Haaretz",
    "timesofisrael.com": "The Times of Israel",
    "jpost.com": "The Jerusalem Post",
    "arabnews.com": "Arab News",
    "thenationalnews.com": "The National",
    "middleeasteye.net": "Middle East Eye",
    "al-monitor.com": "Al-Monitor",
    "dailysabah.com": "Daily Sabah",
    "hurriyetdailynews.com": "Hürriyet Daily News",
    "ahram.org.eg": "Al-Ahram",
    "news24.com": "News24",
    "mg.co.za": "Mail & Guardian",
    "dailymaverick.co.za": "Daily Maverick",
    "nation.africa": "Nation",
    "premiumtimesng.com": "Premium Times",
    "theafricareport.com": "The Africa Report",
    # Asia and Pacific
    "scmp.com": "South China Morning Post",
    "chinadaily.com.cn": "China Daily",
    "globaltimes.cn": "Global Times",
    "caixinglobal.com": "Caixin",
    "japantimes.co.jp": "The Japan Times",
    "asahi.com": "The Asahi Shimbun",
    "nhk.or.jp": "NHK",
    "asia.nikkei.com": "Nikkei Asia",
    "nikkei.com": "Nikkei",
    "koreaherald.com": "The Korea Herald",
    "koreatimes.co.kr": "The Korea Times",
    "thehindu.com": "The Hindu",
    "hindustantimes.com": "Hindustan Times",
    "indianexpress.com": "The Indian Express",
    "timesofindia.indiatimes.com": "The Times of India",
    "ndtv.com": "NDTV",
    "dawn.com": "Dawn",
    "thediplomat.com": "The Diplomat",
    "straitstimes.com": "The Straits Times",
    "channelnewsasia.com": "CNA",
    "bangkokpost.com": "Bangkok Post",
    "rappler.com": "Rappler",
    "abc.net.au": "ABC News (Australia)",
    "smh.com.au": "The Sydney Morning Herald",
    "theage.com.au": "The Age",
    "theaustralian.com.au": "The Australian",
    "nzherald.co.nz": "The New Zealand Herald",
    "stuff.co.nz": "Stuff",
    "rnz.co.nz": "RNZ",
    # The Americas
    "cbc.ca": "CBC News",
    "theglobeandmail.com": "The Globe and Mail",
    "thestar.com": "Toronto Star",
    "nationalpost.com": "National Post",
    "ctvnews.ca": "CTV News",
    "globalnews.ca": "Global News",
    "folha.uol.com.br": "Folha de S.Paulo",
    "globo.com": "O Globo",
    "clarin.com": "Clarín",
    "lanacion.com.ar": "La Nación",
    "eluniversal.com.mx": "El Universal",
    "buenosairesherald.com": "Buenos Aires Herald",
    "mercopress.com": "MercoPress",
    # fact-checkers and others
    "snopes.com": "Snopes",
    "politifact.com": "PolitiFact",
    "factcheck.org": "FactCheck.org",
    "fullfact.org": "Full Fact",
    "wikinews.org": "Wikinews",
    "en.wikinews.org": "Wikinews",
}

#: Second-level labels under which sites register (``bbc.co.uk``, ``smh.com.au``).
_SECOND_LEVEL = {"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"}
_HOST_PREFIXES = ("www.", "www1.", "www2.", "m.", "mobile.", "amp.", "edition.", "en.", "english.", "news.")


def domain_of(url: str) -> str | None:
    """The lower-cased host of ``url`` (``www.`` dropped), or None when ``url`` has no host.

    ``url`` may be a full URL or a bare host name."""
    if "//" not in url:
        url = "//" + url
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host:
        return None
    host = host.rstrip(".").lower()
    return host[4:] if host.startswith("www.") else host


def registered_domain(host: str) -> str:
    """The registrable part of ``host``: ``edition.cnn.com`` → ``cnn.com``,
    ``news.bbc.co.uk`` → ``bbc.co.uk``."""
    labels = host.split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def guess_name(host: str) -> str:
    """A title-cased outlet name guessed from ``host``: ``example-herald.org`` → ``Example Herald``."""
    label = registered_domain(host).split(".")[0]
    words = [w for w in label.replace("_", "-").split("-") if w]
    return " ".join(w.capitalize() for w in words) or host


def outlet_for_domain(host: str) -> str:
    """The outlet publishing at ``host``: from :data:`OUTLETS` (trying the host, then its parent
    domains), else a title-cased guess from the domain."""
    host = host.lower().rstrip(".")
    for prefix in _HOST_PREFIXES:
        if host.startswith(prefix) and host[len(prefix) :] in OUTLETS:
            return OUTLETS[host[len(prefix) :]]
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in OUTLETS:
            return OUTLETS[candidate]
    return guess_name(host)


def outlet_for_url(url: str | None) -> str | None:
    """The outlet for the site ``url`` points at, or None when ``url`` is empty or has no host."""
    if not url:
        return None
    host = domain_of(url)
    if not host or "." not in host or _is_ip(host):
        return None
    return outlet_for_domain(host)


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# -- the outlet's home country ---------------------------------------------------------------------------

#: Home country (ISO 3166-1 alpha-2) of outlets publishing under a generic domain (``.com``, ``.org``,
#: ``.net``) whose readers are mostly in one country. Used as a weak prior for place names (an article of a
#: Canadian paper that says "London" more often means London, Ontario); international services
#: (Reuters, Al Jazeera, Euronews, Wikinews) are deliberately absent. Domains under a country-code TLD
#: need no entry (see :func:`country_for_url`).
OUTLET_COUNTRIES: dict[str, str] = {
    **dict.fromkeys(
        """nytimes.com washingtonpost.com wsj.com usatoday.com latimes.com chicagotribune.com bostonglobe.com
        sfchronicle.com sfgate.com nypost.com nydailynews.com cnn.com foxnews.com nbcnews.com cbsnews.com
        abcnews.go.com msnbc.com npr.org pbs.org politico.com axios.com thehill.com theatlantic.com
        newyorker.com time.com newsweek.com vox.com slate.com huffpost.com huffingtonpost.com
        buzzfeednews.com propublica.org motherjones.com businessinsider.com forbes.com fortune.com
        marketwatch.com voanews.com csmonitor.com startribune.com dallasnews.com houstonchronicle.com
        miamiherald.com seattletimes.com denverpost.com azcentral.com philly.com inquirer.com freep.com
        detroitnews.com ajc.com tampabay.com sun-sentinel.com orlandosentinel.com baltimoresun.com
        indystar.com jsonline.com stltoday.com kansascity.com star-telegram.com sacbee.com
        mercurynews.com oregonlive.com cleveland.com nola.com al.com mlive.com syracuse.com nj.com
        pennlive.com masslive.com silive.com newsday.com courier-journal.com tennessean.com
        charlotteobserver.com newsobserver.com post-gazette.com sltrib.com reviewjournal.com
        kentucky.com""".split(),
        "US",
    ),
    **dict.fromkeys(
        """bbc.com bbc.co.uk theguardian.com ft.com economist.com dailymail.co.uk news.sky.com sky.com
        channel4.com itv.com newstatesman.com heraldscotland.com scotsman.com walesonline.co.uk""".split(),
        "GB",
    ),
    **dict.fromkeys(
        """theglobeandmail.com thestar.com nationalpost.com torontosun.com lfpress.com edmontonjournal.com
        calgaryherald.com ottawacitizen.com vancouversun.com theprovince.com montrealgazette.com
        leaderpost.com thestarphoenix.com windsorstar.com winnipegfreepress.com""".split(),
        "CA",
    ),
    **dict.fromkeys("thehindu.com hindustantimes.com indianexpress.com ndtv.com indiatimes.com".split(), "IN"),
    **dict.fromkeys("haaretz.com timesofisrael.com jpost.com".split(), "IL"),
    **dict.fromkeys("scmp.com".split(), "HK"),
    **dict.fromkeys("straitstimes.com channelnewsasia.com".split(), "SG"),
    **dict.fromkeys("dawn.com".split(), "PK"),
    **dict.fromkeys("arabnews.com".split(), "SA"),
    **dict.fromkeys("thenationalnews.com".split(), "AE"),
    **dict.fromkeys("dailysabah.com hurriyetdailynews.com".split(), "TR"),
    **dict.fromkeys("news24.com timeslive.co.za".split(), "ZA"),
    **dict.fromkeys("premiumtimesng.com".split(), "NG"),
    **dict.fromkeys("themoscowtimes.com".split(), "RU"),
    **dict.fromkeys("kyivindependent.com kyivpost.com".split(), "UA"),
    **dict.fromkeys("koreaherald.com".split(), "KR"),
    **dict.fromkeys("rappler.com".split(), "PH"),
    **dict.fromkeys("bangkokpost.com".split(), "TH"),
}

#: Country-code top-level domains that do not name the publisher's country: sold as generic names
#: (``.tv``, ``.io``, ``.fm``, ...) or not a country (``.eu``).
_GENERIC_CCTLDS = frozenset("ai am cc co fm io la ly me nu tk to tv ws eu su".split())
#: Top-level domains whose ISO 3166-1 code differs.
_TLD_TO_ISO = {"uk": "GB", "gb": "GB"}


def country_for_url(url: str | None) -> str | None:
    """The ISO 3166-1 alpha-2 code of the country the outlet at ``url`` publishes for, or None.

    ``url``: a full URL or a bare host name. The table :data:`OUTLET_COUNTRIES` is tried first (host, then
    its parent domains), then the country-code top-level domain (``cbc.ca`` -> ``CA``, ``bbc.co.uk`` ->
    ``GB``, ``smh.com.au`` -> ``AU``; generic ones such as ``.tv`` give None).

    >>> country_for_url("https://www.lfpress.com/news/local-news")
    'CA'
    >>> country_for_url("https://www.abc.net.au/news/story")
    'AU'
    >>> country_for_url("https://www.reuters.com/world") is None
    True
    """
    if not url:
        return None
    host = domain_of(url)
    if not host or "." not in host or _is_ip(host):
        return None
    labels = host.split(".")
    for i in range(len(labels) - 1):
        hit = OUTLET_COUNTRIES.get(".".join(labels[i:]))
        if hit is not None:
            return hit
    tld = labels[-1]
    if len(tld) != 2 or not tld.isalpha() or tld in _GENERIC_CCTLDS:
        return None
    return _TLD_TO_ISO.get(tld, tld.upper())
