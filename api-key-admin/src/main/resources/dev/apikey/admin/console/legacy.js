// Legacy keys in the api-key console (issue 29 §1): a key handed out before the host used this library, in a format
// it declared, is marked on its details, with what its holder should do. Loaded before console.js, which calls
// window.apikeyLegacy.details(add, key) when it shows a key. Every value is set with textContent, never as HTML.
'use strict';
window.apikeyLegacy = (function () {
  /** Adds the "Legacy" row to a key's details, for a legacy key only. */
  function details(add, k) {
    if (!k.legacy) {
      return;
    }
    const due = k.rotate_by ? ' by ' + k.rotate_by.slice(0, 10) : '';
    const dd = add('Legacy', 'yes: a key of a declared legacy format; rotate it' + due
      + ' to issue one of this library\'s format');
    dd.id = 'details-legacy';
  }
  return { details };
}());
