// The currency picker sends its form as soon as a currency is picked. A file rather than an
// onchange attribute: the Content-Security-Policy allows no inline script.
const picker = document.getElementById('currency-select');
if (picker) picker.addEventListener('change', () => picker.form && picker.form.submit());
