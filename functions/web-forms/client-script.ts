/**
 * The page's behaviour (runs after CLIENT_RULES_JS): fills the reporter's time zone, validates each
 * field when it changes and every field on submit, shows each error next to its field (aria-invalid,
 * aria-describedby) and in a focused summary (role=alert); the form posts normally when all is well.
 */
export const CLIENT_DOM_JS = `(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('form-config').textContent);
  var form = document.getElementById('report-form');
  var summary = document.getElementById('error-summary');
  var tz = form.querySelector('input[name="_tz"]');
  try { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (e) { tz.value = ''; }

  function controls(field) { return Array.prototype.slice.call(form.querySelectorAll('[data-field="' + field.key + '"]')); }
  function valuesOf(field) {
    var out = [];
    controls(field).forEach(function (el) {
      if (el.getAttribute('data-other') === 'true') return;
      if (el.type === 'checkbox' || el.type === 'radio') { if (el.checked) out.push(el.value); }
      else if (el.tagName === 'SELECT') { Array.prototype.forEach.call(el.selectedOptions, function (o) { out.push(o.value); }); }
      else out.push(el.value);
    });
    return out;
  }
  function otherOf(field) {
    return controls(field).filter(function (el) { return el.getAttribute('data-other') === 'true'; }).map(function (el) { return el.value; });
  }
  function messageFor(field) {
    var bad = controls(field).some(function (el) { return el.validity && el.validity.badInput; });
    if (bad) return field.type === 'NUMBER' ? 'Enter a number.' : 'Enter a complete value.';
    return BreachFormRules.validate(field, valuesOf(field), otherOf(field), config.context);
  }
  function show(field, message) {
    document.getElementById('f-' + field.key + '-error').textContent = message || '';
    controls(field).forEach(function (el) {
      if (message) el.setAttribute('aria-invalid', 'true'); else el.removeAttribute('aria-invalid');
    });
  }
  function firstControl(field) { return controls(field)[0]; }
  function renderSummary(problems) {
    summary.innerHTML = '';
    if (problems.length === 0) { summary.hidden = true; return; }
    var h = document.createElement('h2');
    h.textContent = problems.length === 1 ? 'There is a problem' : 'There are ' + problems.length + ' problems';
    var ul = document.createElement('ul');
    problems.forEach(function (p) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = '#' + firstControl(p.field).id;
      a.textContent = p.label + ': ' + p.message;
      a.addEventListener('click', function (ev) { ev.preventDefault(); firstControl(p.field).focus(); });
      li.appendChild(a);
      ul.appendChild(li);
    });
    summary.appendChild(h);
    summary.appendChild(ul);
    summary.hidden = false;
  }

  var attempted = false;
  config.fields.forEach(function (field) {
    controls(field).forEach(function (el) {
      var recheck = function () { if (attempted || el.getAttribute('aria-invalid') === 'true') show(field, messageFor(field)); };
      el.addEventListener('change', recheck);
      el.addEventListener('blur', recheck);
      // An answer being corrected loses its error as soon as it is right, not only when the field is left.
      el.addEventListener('input', function () { if (el.getAttribute('aria-invalid') === 'true' && !messageFor(field)) show(field, null); });
    });
  });

  form.addEventListener('submit', function (ev) {
    attempted = true;
    var problems = [];
    config.fields.forEach(function (field) {
      var message = messageFor(field);
      show(field, message);
      if (message) problems.push({ field: field, label: document.getElementById('f-' + field.key + '-label').getAttribute('data-label'), message: message });
    });
    renderSummary(problems);
    if (problems.length > 0) {
      ev.preventDefault();
      summary.focus();
      return;
    }
    var button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    button.textContent = 'Sending…';
  });

  window.addEventListener('pageshow', function () {
    var button = form.querySelector('button[type="submit"]');
    button.disabled = false;
    button.textContent = button.getAttribute('data-label');
  });

  // Errors the server found arrive rendered; move focus to them so they are announced and reachable.
  if (!summary.hidden) summary.focus();
})();
`;
