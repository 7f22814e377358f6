/*
 * Cohort Survey embed script. A school pastes, where the questionnaire should appear:
 *
 *   <script src="https://survey.example/embed.js"
 *           data-questionnaire="questionnaires/balint-end-of-cohort.json" async></script>
 *
 * It puts an <iframe> with the app right after this <script> tag (or inside the
 * element named by data-target="#some-id"), makes the frame exactly as tall as
 * the questionnaire, and re-dispatches the app's events as DOM events:
 * cohort-survey:ready, cohort-survey:draft-saved, cohort-survey:submitted,
 * cohort-survey:synced. They are dispatched on the iframe and bubble, so a
 * listener on the iframe, on document or on window each sees them once.
 *
 * Only messages whose origin is exactly the app's origin (taken from this
 * script's own src) AND that come from this script's own iframe are used;
 * everything else is ignored. No globals, no cookies, nothing sent anywhere.
 * A data-questionnaire or data-endpoint with a control character or white
 * space in it, or a questionnaire that is not on the app's origin, is refused:
 * no frame, a short notice instead. See docs/embedding.md.
 */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return; // not loaded by a <script src> tag

  var src = new URL(script.src, document.baseURI);
  var appOrigin = src.origin;
  // The app lives next to embed.js, so it also works under a path.
  var appBase = new URL('./', src).href;
  var params = new URLSearchParams();
  // The words this script shows, by language: copies of survey-core's
  // catalogue (EmbedRefused, EmbedFrameTitle in crates/survey-core/src/i18n.rs),
  // kept equal by crates/survey-core/tests/i18n_copies.rs. Escaped to ASCII:
  // a host page may load this script in any character encoding.
  var TEXTS = {
    "en": {
      "refused": "The questionnaire cannot be shown here: this page's embed code names a questionnaire or an address that is not allowed. Please tell the page's owner.",
      "title": "Balint group feedback questionnaire"
    },
    "cy": {
      "refused": "Nid oes modd dangos yr holiadur yma: mae cod mewnosod y dudalen hon yn enwi holiadur neu gyfeiriad nad yw'n cael ei ganiat\u00e1u. Rhowch wybod i berchennog y dudalen.",
      "title": "Holiadur adborth gr\u0175p Balint"
    }
  };
  // data-lang="cy" picks the language (and is passed on to the app as ?lang=);
  // else the first of the browser's languages that this script has words for.
  var lang = script.getAttribute('data-lang');
  if (lang !== null && !/^[A-Za-z0-9]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(lang)) lang = null;
  function wordsFor(tags) {
    for (var i = 0; i < tags.length; i++) {
      var primary = String(tags[i]).split('-')[0].toLowerCase();
      if (TEXTS.hasOwnProperty(primary)) return TEXTS[primary];
    }
    return TEXTS.en;
  }
  var words = wordsFor(lang ? [lang] : (navigator.languages || [navigator.language || 'en']));
  var questionnaire = script.getAttribute('data-questionnaire');
  var endpoint = script.getAttribute('data-endpoint');

  // URL parsers silently drop tab, LF and CR anywhere in a URL (WHATWG URL
  // standard), so '/<TAB>/evil.example/q.json' would become another host's
  // file: refuse control characters and white space outright, then resolve
  // the questionnaire the way the app will and compare origins.
  function unsafe(value) {
    return /[\s\u0000-\u001f\u007f-\u009f]/.test(value);
  }
  function foreign(path) {
    try {
      return new URL(path, appBase).origin !== appOrigin;
    } catch (e) {
      return true;
    }
  }
  var refused = (questionnaire !== null && (unsafe(questionnaire) || foreign(questionnaire))) ||
    (endpoint !== null && unsafe(endpoint));
  if (questionnaire) params.set('questionnaire', questionnaire);
  params.set('embed', '1');
  if (endpoint) params.set('endpoint', endpoint);
  // Look: match the host page (docs/embedding.md, "Matching the host page").
  var theme = script.getAttribute('data-theme');
  if (theme === 'light' || theme === 'dark') params.set('theme', theme);
  if (script.hasAttribute('data-hide-title')) params.set('hide_title', '1');
  if (lang) params.set('lang', lang);

  if (refused) {
    var notice = document.createElement('p');
    notice.className = 'cohort-survey-refused';
    notice.setAttribute('role', 'alert');
    notice.textContent = words.refused;
    console.error('cohort-survey embed.js: data-questionnaire or data-endpoint refused (control character, ' +
      'white space, or not on ' + appOrigin + ')');
    place(notice);
    return;
  }

  var iframe = document.createElement('iframe');
  iframe.src = appBase + '?' + params.toString();
  iframe.title = script.getAttribute('data-title') || words.title;
  iframe.className = 'cohort-survey-frame';
  iframe.loading = 'eager';
  // The app learns the embedding page's origin from the referrer; send the
  // origin (never the full address) even if the page's own policy is stricter.
  iframe.referrerPolicy = 'strict-origin';
  // Until the app reports its height; it scrolls inside only until then.
  iframe.style.cssText = 'display:block;width:100%;border:0;height:36rem;color-scheme:' + (theme === 'light' || theme === 'dark' ? theme : 'normal') + ';';

  var events = { ready: 1, 'draft-saved': 1, submitted: 1, synced: 1 };

  window.addEventListener('message', function (event) {
    if (event.origin !== appOrigin || event.source !== iframe.contentWindow) return;
    var data = event.data;
    if (!data || typeof data !== 'object' || data.source !== 'cohort-survey') return;
    if (data.type === 'resize') {
      var height = Number(data.height);
      if (isFinite(height) && height > 0 && height < 100000) {
        iframe.style.height = Math.ceil(height) + 'px';
      }
    } else if (typeof data.type === 'string' && events.hasOwnProperty(data.type)) {
      iframe.dispatchEvent(new CustomEvent('cohort-survey:' + data.type, {
        bubbles: true,
        detail: data.detail === undefined ? null : data.detail,
      }));
    }
  });

  place(iframe);

  /** Puts `el` where the snippet asks. With `async` the page may still be
   *  loading; a data-target element or <body> may not exist yet. */
  function place(el) {
    function put() {
      var target = script.getAttribute('data-target');
      var into = target && document.querySelector(target);
      if (into) {
        into.appendChild(el);
      } else if (script.parentNode && script.parentNode !== document.head) {
        script.parentNode.insertBefore(el, script.nextSibling);
      } else if (document.body) {
        document.body.appendChild(el); // the script was put in <head>
      }
    }
    if (document.readyState === 'loading' && (script.getAttribute('data-target') || !document.body)) {
      document.addEventListener('DOMContentLoaded', put);
    } else {
      put();
    }
  }
})();
