// Small enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", function (e) {
	var form = e.target;
	var question = form.getAttribute("data-confirm");
	if (question && !window.confirm(question)) {
		e.preventDefault();
	}
});
