/* Swagger UI over this server's OpenAPI schema; its assets come from this server too. */
(function () {
  'use strict';
  function start() {
    var el = document.getElementById('swagger-ui');
    if (!el || typeof SwaggerUIBundle === 'undefined') { return; }
    window.ui = SwaggerUIBundle({
      url: el.dataset.openapiUrl,
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      validatorUrl: null  /* the default would call an outside validator service */
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
}());
