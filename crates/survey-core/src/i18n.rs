//! The interface catalogue: every word the app shows that is not questionnaire
//! content, in every interface language, plus choosing a language.
//!
//! A plain static table, not fluent or leptos_i18n: it compiles into the wasm
//! app, and one `&str` array per language costs only its text.
//!
//! # One key, every language
//! [`catalogue!`](crate::catalogue) declares each key once with its English
//! and Welsh text and generates the [`Msg`] enum and one static array per
//! language. A key without a language does not match the macro, so it fails to
//! *compile*; a test then checks that no text is blank and that every language
//! uses the same `{placeholders}` as English. Adding a language is adding one
//! field to the macro (see `docs/translating.md`).
//!
//! ```
//! survey_core::catalogue! { Yes { en: "Yes", cy: "Ydw" } }
//! assert_eq!(EN[Msg::Yes as usize], "Yes");
//! assert_eq!(CY[Msg::Yes as usize], "Ydw");
//! ```
//!
//! A key missing its Welsh does not build:
//!
//! ```compile_fail
//! survey_core::catalogue! { Yes { en: "Yes" } }
//! ```
//!
//! # Test pseudo-locales
//! [`Lang::EnXa`] (accented and about 40% longer, made from English by
//! [`Lang::pseudo`]) and [`Lang::ArXb`] (English forced right-to-left, `dir`
//! `rtl`) are never offered to students: they exist so an end-to-end run can
//! find untranslated strings (any plain English word left on the page) and
//! layouts that break with longer words or right-to-left text.
//!
//! # Dates and numbers
//! survey-core stays pure: it never formats a date or a month name. The app
//! formats "when your answers were saved" (the `{when}` of
//! [`Msg::Restored`]) and any other date with the browser's `Intl.DateTimeFormat`
//! for [`Lang::tag`], and numbers shown to students with `Intl.NumberFormat`;
//! the figures inside validation messages are plain decimals, which read the
//! same in English and Welsh.
//!
//! # How the app uses it
//! - The language: `let tag = choose(url, stored, &browser, &q.languages, &q.default_language);`
//!   then `let ui = Lang::from_tag(&tag).unwrap_or(Lang::En);` for the
//!   interface (a questionnaire language the catalogue lacks shows English
//!   buttons), `<html lang={ui.tag()} dir={ui.dir()}>` (or `lang={tag}` for a
//!   questionnaire-only language).
//! - Interface words: `ui.t(Msg::Next)`; with placeholders
//!   `fill(&ui.t(Msg::SectionOf), &[("n", "2"), ("total", "6")])`.
//! - Questionnaire content: `ui.pseudo(text.get(&tag))` (unchanged for real
//!   languages; `Text::get` falls back to English for a pseudo-locale's tag).
//! - The switch: one link or button per [`Lang`] the questionnaire offers
//!   (`q.languages`, never a pseudo-locale), named by [`Lang::name_in_itself`]
//!   with `lang` set to its tag.
//! - The submission: `payload::build_submission(.., config.language_to_record(&tag))`.
//!
//! # Which file uses which key
//! For switching the call sites (the keys are in the same order below):
//! - `src/messages.rs`: `Req*`, `Incomplete*`, `EnterFigure`, `SelectOneOf`,
//!   `TooFew`, `TooMany`, `Duplicate`, `BelowMin`, `AboveMax`, `Whole`, `Steps`,
//!   `SelectWhole`, `TooShort`, `TooLong`, `NotNeeded`, `ControlChars`, `Flag`,
//!   and through [`crate::anon::IdentifierKind::msg`] the `Id*` keys.
//! - `index.html` (boot screen): `Loading`, `NoScript`; `src/app.rs` also shows
//!   `Loading` while the questionnaire loads.
//! - `src/app.rs`: `UpdateReady`, `UseNewVersion`, `OutboxStoreFailed`,
//!   `DownloadMyAnswers`, `Sent`, `NotAccepted`, `Offline`, `ServerDown`,
//!   `Sending`, `EndpointAnswered`, `AttemptsOffline`, `AttemptsTemporary`,
//!   `ThankYou` (heading and document title), `Anonymous`, `DetailsForIt`,
//!   `SendNow`, `DownloadMyResponse`, `WaitingOne`, `WaitingMany`,
//!   `OutboxAttention`, `OutboxUnreadable`, `DownloadUnreadableResponse`,
//!   `OutboxNotKept`, `StorageMayClear`, `Restored`, `UpdatedAllKept`,
//!   `UpdatedSomeLost`, `DraftUnreadable`, `StorageBlocked`, `StorageFull`,
//!   `ChangedElsewhere`, `NoAnonymousId`, `OpenNewTab`,
//!   `DownloadUnreadableCopy`, `StartAgainQuestion`, `YesDelete`, `Cancel`,
//!   `StartAgain`, error page: `CannotOpen` (heading, and the document title
//!   after `ErrorPrefix`), `ErrRefused`, `ErrOffline`, `ErrFile`,
//!   `ErrAnswersKept`, `TechnicalDetails`.
//! - `src/browser.rs`: `EarlierToday`, `Yesterday` (weekdays and months: `Intl`).
//! - `src/notice.rs`: `Dismiss`, `DismissRest` (visually hidden, appended),
//!   `DetailsForIt`.
//! - `src/fields.rs`: `ErrorPrefix` (visually hidden), `Optional`,
//!   `CharsRemaining`, `CharsTooMany`, `PreferNotToSay`.
//! - `src/survey.rs`: `ErrorSummaryTitle`, `ErrorPrefix` (document title),
//!   `CheckAnswers`, `CheckIntro`, `SendMyAnswers`, `Back`, `Next`,
//!   `SectionOf`, `FlaggedWarning`, `Change`, `NotAnswered`, `Yes`,
//!   `PreferNotToSay`.
//! - the language switch (new): `Language` (its label), each choice named by
//!   [`Lang::name_in_itself`].
//! - `public/embed.js` (a copy, checked by a test): `EmbedRefused`,
//!   `EmbedFrameTitle`.

use std::borrow::Cow;

/// Declares the catalogue: each key once, with its text in every interface
/// language. Generates `enum Msg` (`#[repr(u16)]`, one variant per key, in
/// order), `Msg::ALL`, `N`, and `static EN` / `static CY: [&str; N]`.
///
/// **A key missing a language fails to compile** (no rule of the macro
/// matches it), so a forgotten translation can never reach a student.
#[macro_export]
macro_rules! catalogue {
    ($( $(#[doc = $doc:literal])* $key:ident { en: $en:literal, cy: $cy:literal $(,)? } ),* $(,)?) => {
        /// One interface text; its words are in the language tables.
        #[repr(u16)]
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $( $(#[doc = $doc])* $key, )* }
        /// How many keys there are.
        pub const N: usize = [$(Msg::$key),*].len();
        impl Msg {
            /// Every key, in declaration order.
            pub const ALL: [Msg; N] = [$(Msg::$key),*];
        }
        /// English, indexed by `Msg as usize`.
        pub static EN: [&str; N] = [$($en),*];
        /// Welsh (Cymraeg), indexed by `Msg as usize`.
        pub static CY: [&str; N] = [$($cy),*];
    };
}

catalogue! {
    // ---- validation messages (src/messages.rs) ----
    ReqMultiple { en: "Select at least one option for: {text}", cy: "Dewiswch o leiaf un opsiwn ar gyfer: {text}" },
    ReqLikert { en: "Select an answer for each statement in: {text}", cy: "Dewiswch ateb ar gyfer pob datganiad yn: {text}" },
    ReqConsent {
        en: "Select the box to confirm you understand how your answers are used",
        cy: "Dewiswch y blwch i gadarnhau eich bod yn deall sut y defnyddir eich atebion",
    },
    ReqNumber { en: "Enter a number for: {text}", cy: "Rhowch rif ar gyfer: {text}" },
    ReqChoice { en: "Select an answer for: {text}", cy: "Dewiswch ateb ar gyfer: {text}" },
    ReqText { en: "Enter an answer for: {text}", cy: "Rhowch ateb ar gyfer: {text}" },
    IncompleteOne { en: "Select an answer for the statement “{statement}”", cy: "Dewiswch ateb ar gyfer y datganiad “{statement}”" },
    IncompleteMany {
        en: "Select an answer for the {n} statements left blank, starting with “{statement}”",
        cy: "Dewiswch ateb ar gyfer y {n} datganiad sydd heb eu hateb, gan ddechrau gyda “{statement}”",
    },
    EnterFigure { en: "Enter a number as a figure, like 4, for: {text}", cy: "Rhowch rif fel ffigur, fel 4, ar gyfer: {text}" },
    SelectOneOf { en: "Select one of the answers for: {text}", cy: "Dewiswch un o'r atebion ar gyfer: {text}" },
    TooFew { en: "Select at least {min} options for: {text}", cy: "Dewiswch o leiaf {min} opsiwn ar gyfer: {text}" },
    TooMany { en: "Select no more than {max} options for: {text}", cy: "Peidiwch â dewis mwy na {max} opsiwn ar gyfer: {text}" },
    Duplicate { en: "Select each option only once for: {text}", cy: "Dewiswch bob opsiwn unwaith yn unig ar gyfer: {text}" },
    BelowMin { en: "Enter a number of {min} or more for: {text}", cy: "Rhowch rif sy'n {min} neu fwy ar gyfer: {text}" },
    AboveMax { en: "Enter a number of {max} or less for: {text}", cy: "Rhowch rif sy'n {max} neu lai ar gyfer: {text}" },
    Whole { en: "Enter a whole number for: {text}", cy: "Rhowch rif cyfan ar gyfer: {text}" },
    Steps { en: "Enter a number in steps of {step} for: {text}", cy: "Rhowch rif mewn camau o {step} ar gyfer: {text}" },
    SelectWhole { en: "Select a whole number for: {text}", cy: "Dewiswch rif cyfan ar gyfer: {text}" },
    TooShort { en: "Enter at least {min} characters for: {text}", cy: "Rhowch o leiaf {min} nod ar gyfer: {text}" },
    TooLong { en: "Enter {max} characters or fewer for: {text}", cy: "Rhowch {max} nod neu lai ar gyfer: {text}" },
    NotNeeded { en: "This answer is not needed: {text}", cy: "Nid oes angen yr ateb hwn: {text}" },
    ControlChars {
        en: "Remove the invisible control characters from your answer to: {text}",
        cy: "Tynnwch y nodau rheoli anweledig o'ch ateb i: {text}",
    },
    /// `{what}` is one of the `Id*` texts.
    Flag { en: "“{found}” looks like {what} - please remove it.", cy: "Mae “{found}” yn edrych fel {what} - dilëwch hyn, os gwelwch yn dda." },
    // ---- identifier descriptions (anon::IdentifierKind::msg) ----
    IdEmail { en: "an email address", cy: "cyfeiriad e-bost" },
    IdPhone { en: "a phone number", cy: "rhif ffôn" },
    IdNhsNumber { en: "an NHS number", cy: "rhif GIG" },
    IdPostcode { en: "a postcode", cy: "cod post" },
    IdDateOfBirth { en: "a date of birth", cy: "dyddiad geni" },
    IdUrl { en: "a web address", cy: "cyfeiriad gwe" },
    IdHandle { en: "a social media handle", cy: "enw defnyddiwr cyfryngau cymdeithasol" },
    IdName { en: "a name", cy: "enw" },
    IdCustom { en: "something your school asked us to catch", cy: "rhywbeth y gofynnodd eich ysgol i ni chwilio amdano" },
    // ---- boot screen (index.html) ----
    Loading { en: "Loading the questionnaire…", cy: "Wrthi'n llwytho'r holiadur…" },
    NoScript { en: "This questionnaire needs JavaScript to run.", cy: "Mae angen JavaScript ar yr holiadur hwn i weithio." },
    // ---- app notices, confirmation, outbox (src/app.rs) ----
    UpdateReady {
        en: "A new version of this questionnaire is ready. Your answers are kept.",
        cy: "Mae fersiwn newydd o'r holiadur hwn yn barod. Mae eich atebion yn cael eu cadw.",
    },
    UseNewVersion { en: "Use the new version", cy: "Defnyddio'r fersiwn newydd" },
    OutboxStoreFailed {
        en: "Your answers could not be stored for sending because this device's storage is full or blocked. They are still on this page: download them, or free some space and press Send again.",
        cy: "Nid oedd modd cadw eich atebion i'w hanfon oherwydd bod storfa'r ddyfais hon yn llawn neu wedi'i rhwystro. Maen nhw'n dal ar y dudalen hon: lawrlwythwch nhw, neu rhyddhewch rywfaint o le a phwyswch Anfon eto.",
    },
    DownloadMyAnswers { en: "Download my answers", cy: "Lawrlwytho fy atebion" },
    Sent { en: "Your answers have been sent to the programme team.", cy: "Mae eich atebion wedi cael eu hanfon at dîm y rhaglen." },
    NotAccepted {
        en: "The survey could not accept your answers. They are kept on this device, and you can download a copy for yourself. If this keeps happening, tell your programme team that the survey is not accepting answers, but do not send your answers to anyone: that would show who wrote them.",
        cy: "Nid oedd yr arolwg yn gallu derbyn eich atebion. Maen nhw'n cael eu cadw ar y ddyfais hon, a gallwch lawrlwytho copi i chi'ch hun. Os yw hyn yn dal i ddigwydd, dywedwch wrth dîm eich rhaglen nad yw'r arolwg yn derbyn atebion, ond peidiwch ag anfon eich atebion at neb: byddai hynny'n dangos pwy a'u hysgrifennodd.",
    },
    Offline {
        en: "You are offline. Your answers are saved on this device and will be sent automatically when you are back online, even if you close this page now.",
        cy: "Rydych chi all-lein. Mae eich atebion wedi'u cadw ar y ddyfais hon a byddan nhw'n cael eu hanfon yn awtomatig pan fyddwch ar-lein eto, hyd yn oed os byddwch yn cau'r dudalen hon nawr.",
    },
    ServerDown {
        en: "The survey server is not available at the moment. Your answers are saved on this device and will be sent automatically, even if you close this page now.",
        cy: "Nid yw gweinydd yr arolwg ar gael ar hyn o bryd. Mae eich atebion wedi'u cadw ar y ddyfais hon a byddan nhw'n cael eu hanfon yn awtomatig, hyd yn oed os byddwch yn cau'r dudalen hon nawr.",
    },
    Sending {
        en: "Sending your answers… They are saved on this device and will be sent automatically, even if you close this page now.",
        cy: "Wrthi'n anfon eich atebion… Maen nhw wedi'u cadw ar y ddyfais hon a byddan nhw'n cael eu hanfon yn awtomatig, hyd yn oed os byddwch yn cau'r dudalen hon nawr.",
    },
    /// For IT staff; `{why}` is the receiver's own words.
    EndpointAnswered { en: "The endpoint answered {status}: {why}", cy: "Atebodd y pwynt terfyn {status}: {why}" },
    AttemptsOffline { en: "{n} attempts so far; the browser reports no network.", cy: "{n} ymgais hyd yma; mae'r porwr yn dweud nad oes rhwydwaith." },
    AttemptsTemporary {
        en: "{n} attempts so far; the endpoint did not answer or answered with a temporary error.",
        cy: "{n} ymgais hyd yma; ni atebodd y pwynt terfyn, neu atebodd gyda gwall dros dro.",
    },
    ThankYou { en: "Thank you", cy: "Diolch" },
    Anonymous {
        en: "Your answers are anonymous: they carry no name, no account and nothing about this device.",
        cy: "Mae eich atebion yn ddienw: does dim enw, dim cyfrif na dim byd am y ddyfais hon ynddyn nhw.",
    },
    DetailsForIt { en: "Details for IT staff", cy: "Manylion i staff TG" },
    SendNow { en: "Send now", cy: "Anfon nawr" },
    DownloadMyResponse { en: "Download my response", cy: "Lawrlwytho fy ymateb" },
    WaitingOne {
        en: "1 response waiting to send - it will go automatically when you are back online.",
        cy: "1 ymateb yn aros i'w anfon - bydd yn mynd yn awtomatig pan fyddwch ar-lein eto.",
    },
    WaitingMany {
        en: "{n} responses waiting to send - they will go automatically when you are back online.",
        cy: "{n} ymateb yn aros i'w hanfon - byddan nhw'n mynd yn awtomatig pan fyddwch ar-lein eto.",
    },
    OutboxAttention {
        en: "A response on this device was not accepted by the survey. It is kept here, and you can download a copy for yourself. Please do not send it to anyone: that would show who wrote it.",
        cy: "Ni chafodd ymateb ar y ddyfais hon ei dderbyn gan yr arolwg. Mae'n cael ei gadw yma, a gallwch lawrlwytho copi i chi'ch hun. Peidiwch â'i anfon at neb: byddai hynny'n dangos pwy a'i ysgrifennodd.",
    },
    OutboxUnreadable {
        en: "A response saved on this device for sending could not be read, so it cannot be sent. It is kept here, and you can download it.",
        cy: "Nid oedd modd darllen ymateb a gadwyd ar y ddyfais hon i'w anfon, felly nid oes modd ei anfon. Mae'n cael ei gadw yma, a gallwch ei lawrlwytho.",
    },
    DownloadUnreadableResponse { en: "Download the unreadable response", cy: "Lawrlwytho'r ymateb na ellir ei ddarllen" },
    OutboxNotKept {
        en: "A response waiting to be sent could not be kept on this device: its storage was cleared and cannot be written to now. It will still be sent while this page stays open. Download a copy for yourself in case the page is closed first.",
        cy: "Nid oedd modd cadw ymateb sy'n aros i'w anfon ar y ddyfais hon: cafodd ei storfa ei chlirio ac nid oes modd ysgrifennu iddi nawr. Bydd yn dal i gael ei anfon tra bo'r dudalen hon ar agor. Lawrlwythwch gopi i chi'ch hun rhag ofn i'r dudalen gael ei chau yn gyntaf.",
    },
    StorageMayClear {
        en: "Until your answers are sent, they live only on this device, and this browser may clear them to free space. Keep this page's data until they have gone.",
        cy: "Nes bydd eich atebion wedi'u hanfon, dim ond ar y ddyfais hon y maen nhw, a gallai'r porwr hwn eu clirio i ryddhau lle. Cadwch ddata'r dudalen hon nes eu bod wedi mynd.",
    },
    /// `{when}`: `EarlierToday`, `Yesterday`, or a day or date from `Intl`
    /// (in Welsh it stands after "a roesoch chi", as an adverb of time).
    Restored { en: "Your answers from {when} were restored.", cy: "Cafodd yr atebion a roesoch chi {when} eu hadfer." },
    UpdatedAllKept {
        en: "The questionnaire has been updated. All {kept} of your answers were kept.",
        cy: "Mae'r holiadur wedi'i ddiweddaru. Cafodd pob un o'ch {kept} ateb eu cadw.",
    },
    UpdatedSomeLost {
        en: "The questionnaire has been updated. {kept} of your answers were kept; {dropped} no longer fit a question and need answering again.",
        cy: "Mae'r holiadur wedi'i ddiweddaru. Cafodd {kept} o'ch atebion eu cadw; nid yw {dropped} bellach yn cyfateb i gwestiwn ac mae angen eu hateb eto.",
    },
    DraftUnreadable {
        en: "Your saved answers could not be read, so the questionnaire starts fresh. The unreadable copy is kept on this device.",
        cy: "Nid oedd modd darllen eich atebion a gadwyd, felly mae'r holiadur yn dechrau o'r newydd. Mae'r copi na ellir ei ddarllen yn cael ei gadw ar y ddyfais hon.",
    },
    StorageBlocked {
        en: "This browser is not letting the page save your answers. They will be lost if you close or reload this page.",
        cy: "Nid yw'r porwr hwn yn gadael i'r dudalen gadw eich atebion. Byddan nhw'n cael eu colli os byddwch yn cau neu'n ail-lwytho'r dudalen hon.",
    },
    StorageFull {
        en: "This device's storage is full, so your latest answers are not saved. Keep this page open, or download your answers.",
        cy: "Mae storfa'r ddyfais hon yn llawn, felly nid yw eich atebion diweddaraf wedi'u cadw. Cadwch y dudalen hon ar agor, neu lawrlwythwch eich atebion.",
    },
    ChangedElsewhere { en: "Your answers were updated from another tab.", cy: "Cafodd eich atebion eu diweddaru o dab arall." },
    NoAnonymousId {
        en: "This browser cannot make an anonymous id for your response, so it has not been sent. Your answers are kept on this device, and you can download them.",
        cy: "Ni all y porwr hwn greu dynodydd dienw ar gyfer eich ymateb, felly nid yw wedi cael ei anfon. Mae eich atebion yn cael eu cadw ar y ddyfais hon, a gallwch eu lawrlwytho.",
    },
    OpenNewTab { en: "Open in a new tab", cy: "Agor mewn tab newydd" },
    DownloadUnreadableCopy { en: "Download the unreadable copy", cy: "Lawrlwytho'r copi na ellir ei ddarllen" },
    StartAgainQuestion { en: "Delete all your answers on this device and start again?", cy: "Dileu eich holl atebion ar y ddyfais hon a dechrau eto?" },
    YesDelete { en: "Yes, delete my answers", cy: "Ie, dileu fy atebion" },
    Cancel { en: "Cancel", cy: "Canslo" },
    StartAgain { en: "Start again", cy: "Dechrau eto" },
    // ---- error page (src/app.rs) ----
    CannotOpen { en: "Sorry, the questionnaire cannot be opened", cy: "Mae'n ddrwg gennym, nid oes modd agor yr holiadur" },
    ErrRefused {
        en: "This link asks to send your answers somewhere this survey does not allow, so it was stopped. Please use the link from your programme team.",
        cy: "Mae'r ddolen hon yn gofyn am anfon eich atebion i rywle nad yw'r arolwg hwn yn ei ganiatáu, felly cafodd ei hatal. Defnyddiwch y ddolen gan dîm eich rhaglen.",
    },
    ErrOffline {
        en: "It could not be loaded. If you have no signal, try again when you are back online.",
        cy: "Nid oedd modd ei lwytho. Os nad oes gennych signal, rhowch gynnig arall arni pan fyddwch ar-lein eto.",
    },
    ErrFile {
        en: "The questionnaire file has a mistake in it. Please tell the programme team; it is not something you did.",
        cy: "Mae camgymeriad yn ffeil yr holiadur. Rhowch wybod i dîm y rhaglen; nid eich bai chi yw hyn.",
    },
    ErrAnswersKept {
        en: "Any answers you have already given on this device are kept.",
        cy: "Mae unrhyw atebion rydych chi eisoes wedi'u rhoi ar y ddyfais hon yn cael eu cadw.",
    },
    TechnicalDetails { en: "Technical details for the programme team", cy: "Manylion technegol i dîm y rhaglen" },
    // ---- dates (src/browser.rs; the rest through Intl) ----
    EarlierToday { en: "earlier today", cy: "yn gynharach heddiw" },
    Yesterday { en: "yesterday", cy: "ddoe" },
    // ---- notices (src/notice.rs) ----
    Dismiss { en: "Dismiss", cy: "Cau" },
    /// Visually hidden, straight after `Dismiss` (no space is added).
    DismissRest { en: " this message", cy: "'r neges hon" },
    // ---- fields and pages (src/fields.rs, src/survey.rs) ----
    /// Visually hidden before an error message, and before the document title
    /// while a page shows errors.
    ErrorPrefix { en: "Error: ", cy: "Gwall: " },
    /// Appended to an optional question's text.
    Optional { en: " (optional)", cy: " (dewisol)" },
    CharsRemaining { en: "{n} characters remaining", cy: "{n} nod ar ôl" },
    CharsTooMany { en: "{n} characters too many", cy: "{n} nod yn ormod" },
    PreferNotToSay { en: "Prefer not to say", cy: "Mae'n well gennyf beidio â dweud" },
    ErrorSummaryTitle { en: "There is a problem", cy: "Mae problem" },
    CheckAnswers { en: "Check your answers", cy: "Gwiriwch eich atebion" },
    CheckIntro {
        en: "You can change any answer before you send. Nothing is sent until you press Send.",
        cy: "Gallwch newid unrhyw ateb cyn anfon. Does dim yn cael ei anfon nes i chi bwyso Anfon.",
    },
    SendMyAnswers { en: "Send my answers", cy: "Anfon fy atebion" },
    Back { en: "Back", cy: "Yn ôl" },
    Next { en: "Next", cy: "Nesaf" },
    SectionOf { en: "Section {n} of {total}", cy: "Adran {n} o {total}" },
    FlaggedWarning {
        en: "Some of your answers may identify a person. Please change them. Anything still flagged when you send is replaced by a tag such as [phone].",
        cy: "Gallai rhai o'ch atebion ddangos pwy yw rhywun. Newidiwch nhw, os gwelwch yn dda. Bydd unrhyw beth sy'n dal wedi'i nodi pan fyddwch yn anfon yn cael ei ddisodli gan dag fel [phone].",
    },
    /// Followed by the question's text, visually hidden.
    Change { en: "Change", cy: "Newid" },
    NotAnswered { en: "Not answered", cy: "Heb ei ateb" },
    /// A consent box that was ticked, on the check page.
    Yes { en: "Yes", cy: "Ydw" },
    /// The label of the language switch (its choices name themselves).
    Language { en: "Language", cy: "Iaith" },
    // ---- public/embed.js (a copy, kept equal by a test) ----
    EmbedRefused {
        en: "The questionnaire cannot be shown here: this page's embed code names a questionnaire or an address that is not allowed. Please tell the page's owner.",
        cy: "Nid oes modd dangos yr holiadur yma: mae cod mewnosod y dudalen hon yn enwi holiadur neu gyfeiriad nad yw'n cael ei ganiatáu. Rhowch wybod i berchennog y dudalen.",
    },
    EmbedFrameTitle { en: "Balint group feedback questionnaire", cy: "Holiadur adborth grŵp Balint" },
}

impl Msg {
    /// The English text, the source every other language is made from.
    pub fn en(self) -> &'static str {
        EN[self as usize]
    }
}

/// An interface language. `En` and `Cy` are offered to students; `EnXa` and
/// `ArXb` are test pseudo-locales, reachable only through `?lang=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    En,
    Cy,
    /// Accented and about 40% longer (`en-XA`), made from English.
    EnXa,
    /// English forced right-to-left (`ar-XB`), `dir="rtl"`.
    ArXb,
}

impl Lang {
    /// Every language, the pseudo-locales last.
    pub const ALL: [Lang; 4] = [Lang::En, Lang::Cy, Lang::EnXa, Lang::ArXb];

    /// The BCP 47 tag, for `<html lang>`, `?lang=` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
            Lang::EnXa => "en-XA",
            Lang::ArXb => "ar-XB",
        }
    }

    /// Matches a tag such as `cy-GB` or `EN`: a pseudo-locale only by its
    /// exact tag (any case), a real language by its primary subtag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        if let Some(p) = [Lang::EnXa, Lang::ArXb].into_iter().find(|l| l.tag().eq_ignore_ascii_case(tag)) {
            return Some(p);
        }
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        [Lang::En, Lang::Cy].into_iter().find(|l| l.tag().eq_ignore_ascii_case(primary))
    }

    /// `ltr` or `rtl`, for the `dir` attribute.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::ArXb => "rtl",
            Lang::En | Lang::Cy | Lang::EnXa => "ltr",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn name_in_itself(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
            Lang::EnXa => "[Éñĝļîšĥ ţéšţ]",
            Lang::ArXb => "\u{202E}English test\u{202C}",
        }
    }

    /// True for the test pseudo-locales, never offered to students.
    pub fn is_pseudo(self) -> bool {
        matches!(self, Lang::EnXa | Lang::ArXb)
    }

    /// Which questionnaire language to read content in: a pseudo-locale reads
    /// English and passes it through [`Lang::pseudo`].
    pub fn content_tag(self) -> &'static str {
        match self {
            Lang::EnXa | Lang::ArXb => "en",
            Lang::En | Lang::Cy => self.tag(),
        }
    }

    /// The text of `m` in this language (placeholders still in; see [`fill`]).
    pub fn t(self, m: Msg) -> Cow<'static, str> {
        match self {
            Lang::En => Cow::Borrowed(EN[m as usize]),
            Lang::Cy => Cow::Borrowed(CY[m as usize]),
            Lang::EnXa | Lang::ArXb => Cow::Owned(self.pseudo(EN[m as usize]).into_owned()),
        }
    }

    /// Questionnaire content or interface English as the pseudo-locale shows
    /// it; unchanged for a real language. `{placeholders}` are kept as they are.
    pub fn pseudo(self, s: &str) -> Cow<'_, str> {
        match self {
            Lang::En | Lang::Cy => Cow::Borrowed(s),
            Lang::EnXa => Cow::Owned(accented(s)),
            // Right-to-left override ... pop directional formatting.
            Lang::ArXb => Cow::Owned(format!("\u{202E}{s}\u{202C}")),
        }
    }
}

/// The `en-XA` form of `s`: letters accented, wrapped in brackets (so a cut
/// off end shows) and padded by about 40% with accented filler words (so a
/// plain English word left on a page is always an untranslated string).
fn accented(s: &str) -> String {
    // a-z then A-Z.
    const TO: [char; 52] = [
        'á', 'ƀ', 'ç', 'ð', 'é', 'ƒ', 'ĝ', 'ĥ', 'î', 'ĵ', 'ķ', 'ļ', 'ɱ', 'ñ', 'ö', 'þ', 'ǫ', 'ŕ', 'š', 'ţ', 'û', 'ṽ', 'ŵ', 'ẋ', 'ý', 'ž',
        'Å', 'Ɓ', 'Ç', 'Ð', 'É', 'Ƒ', 'Ĝ', 'Ĥ', 'Î', 'Ĵ', 'Ķ', 'Ļ', 'Ṁ', 'Ñ', 'Ö', 'Þ', 'Ǫ', 'Ŕ', 'Š', 'Ţ', 'Û', 'Ṽ', 'Ŵ', 'Ẋ', 'Ý', 'Ž',
    ];
    const PAD: [&str; 6] = ["öñé", "ţŵö", "ţĥŕéé", "ƒöûŕ", "ƒîṽé", "šîẋ"];
    let mut out = String::with_capacity(s.len() * 2 + 2);
    out.push('[');
    let mut in_placeholder = false;
    for c in s.chars() {
        match c {
            '{' => in_placeholder = true,
            '}' => in_placeholder = false,
            _ => {}
        }
        match c {
            'a'..='z' | 'A'..='Z' if !in_placeholder => {
                let i = if c.is_ascii_lowercase() { c as u8 - b'a' } else { c as u8 - b'A' + 26 };
                out.push(TO[i as usize]);
            }
            _ => out.push(c),
        }
    }
    // 40% longer, in whole filler words.
    let letters = s.chars().count();
    let mut padded = 0;
    for w in PAD.iter().cycle() {
        if padded * 10 >= letters * 4 {
            break;
        }
        out.push(' ');
        out.push_str(w);
        padded += w.chars().count() + 1;
    }
    out.push(']');
    out
}

/// `template` with each `{name}` replaced by its value from `args`; a
/// placeholder without a value stays as it is. No `format!` machinery: this
/// runs in the wasm app.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').and_then(|close| args.iter().find(|(k, _)| *k == &after[..close]).map(|(_, v)| (close, v))) {
            Some((close, v)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `{placeholder}` names in `template`, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// The language a student sees, as one of `offered` (the questionnaire's
/// languages): `?lang=` in the URL, else the one remembered with the draft,
/// else the first of the browser's languages (`navigator.languages`) that is
/// offered, else `default`. A tag matches exactly (any case), else by its
/// primary subtag (`cy-GB` finds `cy`). A pseudo-locale tag is taken from the
/// URL or the draft even though it is never offered.
pub fn choose(url_lang: Option<&str>, stored: Option<&str>, browser: &[String], offered: &[String], default: &str) -> String {
    let pick = |tag: &str, pseudo_ok: bool| -> Option<String> {
        if pseudo_ok {
            if let Some(l) = Lang::from_tag(tag).filter(|l| l.is_pseudo()) {
                return Some(l.tag().to_owned());
            }
        }
        let primary = |t: &str| t.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        offered
            .iter()
            .find(|o| o.eq_ignore_ascii_case(tag.trim()))
            .or_else(|| offered.iter().find(|o| primary(o) == primary(tag.trim())))
            .cloned()
    };
    url_lang
        .and_then(|t| pick(t, true))
        .or_else(|| stored.and_then(|t| pick(t, true)))
        .or_else(|| browser.iter().find_map(|t| pick(t, false)))
        .unwrap_or_else(|| default.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_every_language_with_the_same_placeholders() {
        for m in Msg::ALL {
            let en = m.en();
            assert!(!en.trim().is_empty(), "{m:?}: no English");
            let mut want = placeholders(en);
            want.sort_unstable();
            for lang in Lang::ALL {
                let text = lang.t(m);
                assert!(!text.trim().is_empty(), "{m:?}: no {}", lang.tag());
                let mut got = placeholders(&text);
                got.sort_unstable();
                assert_eq!(got, want, "{m:?} in {}: placeholders differ from English", lang.tag());
            }
            // Welsh text identical to English is a forgotten translation,
            // unless it has no words to translate.
            if en.chars().filter(|c| c.is_alphabetic()).count() > 3 && !matches!(m, Msg::EmbedFrameTitle) {
                assert_ne!(CY[m as usize], en, "{m:?}: Welsh is a copy of the English");
            }
        }
        assert_eq!(Msg::ALL.len(), N);
        assert_eq!(Msg::ALL.iter().enumerate().filter(|(i, m)| **m as usize != *i).count(), 0);
    }

    #[test]
    fn fill_replaces_named_placeholders_only() {
        assert_eq!(fill("Enter an answer for: {text}", &[("text", "Age")]), "Enter an answer for: Age");
        assert_eq!(fill("{n} of {total}", &[("total", "5"), ("n", "2")]), "2 of 5");
        assert_eq!(fill("{a} {b} {", &[("a", "x")]), "x {b} {");
        // A value is never scanned again for placeholders.
        assert_eq!(fill("{text}!", &[("text", "{text}")]), "{text}!");
        assert_eq!(placeholders("“{found}” looks like {what}"), ["found", "what"]);
    }

    #[test]
    fn tags_match_real_languages_by_primary_subtag_and_pseudo_locales_exactly() {
        assert_eq!(Lang::from_tag("cy-GB"), Some(Lang::Cy));
        assert_eq!(Lang::from_tag("EN_us"), Some(Lang::En));
        assert_eq!(Lang::from_tag("en-xa"), Some(Lang::EnXa));
        assert_eq!(Lang::from_tag("ar-XB"), Some(Lang::ArXb));
        assert_eq!(Lang::from_tag("ar"), None);
        assert_eq!(Lang::from_tag("fr"), None);
        for l in Lang::ALL {
            assert_eq!(Lang::from_tag(l.tag()), Some(l));
        }
        assert_eq!((Lang::ArXb.dir(), Lang::Cy.dir()), ("rtl", "ltr"));
        assert_eq!((Lang::En.name_in_itself(), Lang::Cy.name_in_itself()), ("English", "Cymraeg"));
        assert_eq!(Lang::EnXa.content_tag(), "en");
    }

    #[test]
    fn pseudo_locales_change_every_letter_keep_placeholders_and_grow() {
        let xa = Lang::EnXa.t(Msg::SectionOf);
        assert!(xa.starts_with("[Šéçţîöñ {n} öƒ {total}") && xa.ends_with(']'), "{xa}");
        for m in Msg::ALL {
            let xa = Lang::EnXa.t(m);
            // No plain English word survives (outside placeholders).
            let outside: String = fill(&xa, &placeholders(&xa).iter().map(|p| (*p, "")).collect::<Vec<_>>());
            assert!(!outside.chars().any(|c| c.is_ascii_alphabetic()), "{m:?}: {outside}");
            assert!(xa.chars().count() * 10 >= m.en().chars().count() * 13, "{m:?} is not longer: {xa}");
        }
        assert_eq!(Lang::ArXb.t(Msg::Back), "\u{202E}Back\u{202C}");
        assert_eq!(Lang::En.pseudo("Age"), "Age");
    }

    #[test]
    fn choose_takes_url_then_draft_then_browser_then_default() {
        let offered = ["en".to_owned(), "cy".to_owned()];
        let browser = ["fr-FR".to_owned(), "cy-GB".to_owned(), "en".to_owned()];
        assert_eq!(choose(Some("cy"), Some("en"), &browser, &offered, "en"), "cy");
        assert_eq!(choose(Some("fr"), Some("en"), &browser, &offered, "cy"), "en", "an unoffered ?lang= falls through");
        assert_eq!(choose(None, Some("EN"), &browser, &offered, "cy"), "en");
        assert_eq!(choose(None, None, &browser, &offered, "en"), "cy", "first offered browser language");
        assert_eq!(choose(None, None, &["de".to_owned()], &offered, "cy"), "cy", "the default");
        assert_eq!(choose(Some("en-XA"), None, &[], &offered, "en"), "en-XA");
        assert_eq!(choose(None, Some("ar-XB"), &[], &offered, "en"), "ar-XB");
        assert_eq!(choose(None, None, &["en-XA".to_owned()], &offered, "cy"), "en", "the browser never picks a pseudo-locale");
    }
}
