/**
 * Consumer mail providers: anyone can get an address there, so no tenant may claim one of these
 * domains. The big providers of every region, not only the US ones; the one list of the service.
 */
export const PUBLIC_EMAIL_DOMAINS: ReadonlySet<string> = new Set([
  // Global
  'gmail.com', 'googlemail.com', 'outlook.com', 'hotmail.com', 'live.com', 'msn.com', 'passport.com',
  'yahoo.com', 'ymail.com', 'rocketmail.com', 'aol.com', 'aim.com', 'icloud.com', 'me.com', 'mac.com',
  'proton.me', 'protonmail.com', 'protonmail.ch', 'pm.me', 'tutanota.com', 'tutanota.de', 'tuta.io', 'tuta.com',
  'zoho.com', 'zohomail.com', 'gmx.com', 'gmx.net', 'mail.com', 'email.com', 'fastmail.com', 'fastmail.fm',
  'hey.com', 'hushmail.com', 'mailfence.com', 'runbox.com', 'posteo.de', 'posteo.net', 'disroot.org',
  'yandex.com', 'yandex.ru', 'ya.ru',
  // Regional Microsoft and Yahoo domains
  'hotmail.co.uk', 'hotmail.fr', 'hotmail.de', 'hotmail.it', 'hotmail.es', 'outlook.fr', 'outlook.de',
  'outlook.es', 'outlook.it', 'outlook.jp', 'outlook.com.br', 'live.co.uk', 'live.fr', 'live.de', 'live.it',
  'live.nl', 'live.com.au', 'yahoo.co.uk', 'yahoo.fr', 'yahoo.de', 'yahoo.it', 'yahoo.es', 'yahoo.co.jp',
  'yahoo.co.in', 'yahoo.com.br', 'yahoo.com.au', 'yahoo.ca', 'yahoo.com.mx', 'yahoo.com.ar', 'yahoo.com.tw',
  'yahoo.com.hk', 'yahoo.com.sg',
  // Europe
  'web.de', 'gmx.de', 'gmx.at', 'gmx.ch', 't-online.de', 'freenet.de', 'arcor.de', 'orange.fr', 'wanadoo.fr',
  'free.fr', 'sfr.fr', 'laposte.net', 'libero.it', 'virgilio.it', 'tiscali.it', 'alice.it', 'tin.it',
  'terra.es', 'telefonica.net', 'btinternet.com', 'sky.com', 'virginmedia.com', 'ntlworld.com', 'talktalk.net',
  'seznam.cz', 'centrum.cz', 'wp.pl', 'o2.pl', 'onet.pl', 'interia.pl', 'ziggo.nl', 'kpnmail.nl', 'telenet.be',
  'skynet.be', 'bluewin.ch', 'abv.bg', 'mail.ru', 'inbox.ru', 'list.ru', 'bk.ru', 'rambler.ru', 'ukr.net',
  // Asia and Oceania
  'qq.com', 'foxmail.com', '163.com', '126.com', 'yeah.net', 'sina.com', 'sina.cn', 'sohu.com', 'aliyun.com',
  'naver.com', 'daum.net', 'hanmail.net', 'kakao.com', 'nate.com', 'docomo.ne.jp', 'ezweb.ne.jp',
  'softbank.ne.jp', 'nifty.com', 'rediffmail.com', 'bigpond.com', 'optusnet.com.au', 'xtra.co.nz',
  // The Americas
  'uol.com.br', 'bol.com.br', 'terra.com.br', 'ig.com.br', 'globo.com', 'prodigy.net.mx', 'comcast.net',
  'verizon.net', 'att.net', 'sbcglobal.net', 'bellsouth.net', 'cox.net', 'charter.net', 'earthlink.net',
  'shaw.ca', 'rogers.com', 'sympatico.ca', 'videotron.ca',
  // Africa and the Middle East
  'mweb.co.za', 'webmail.co.za', 'telkomsa.net', 'walla.co.il',
]);
