/** tollgate's mark for the /docs page: a gate bar across a road, in two colours. */
export const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="180" height="40" viewBox="0 0 180 40" role="img" aria-label="tollgate">
<rect x="2" y="8" width="6" height="28" rx="2" fill="#1f6feb"/>
<rect x="8" y="10" width="30" height="6" rx="3" fill="#f0b429"/>
<rect x="14" y="10" width="6" height="6" fill="#1f2328"/><rect x="26" y="10" width="6" height="6" fill="#1f2328"/>
<text x="46" y="28" font-family="system-ui,-apple-system,Segoe UI,sans-serif" font-size="22" font-weight="700" fill="#ffffff">tollgate</text>
</svg>`;

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="3" y="6" width="6" height="24" rx="2" fill="#1f6feb"/><rect x="9" y="8" width="21" height="7" rx="3" fill="#f0b429"/></svg>`;
