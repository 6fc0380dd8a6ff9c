// Small enhancements; every page works without this file.
"use strict";
document.addEventListener("submit", function (e) {
	var form = e.target;
	var question = form.getAttribute("data-confirm");
	if (question && !window.confirm(question)) {
		e.preventDefault();
	}
});

// On a phone a list's rows stack and its header row is hidden: each cell
// takes its column's name, shown before the value (qorgau.css).
document.addEventListener("DOMContentLoaded", function () {
	var tables = document.querySelectorAll("table.list");
	for (var t = 0; t < tables.length; t++) {
		var heads = tables[t].querySelectorAll("thead th");
		if (!heads.length)
			continue;
		var rows = tables[t].querySelectorAll("tbody tr");
		for (var r = 0; r < rows.length; r++) {
			var cells = rows[r].children;
			for (var c = 0; c < cells.length && c < heads.length; c++) {
				var name = heads[c].textContent.trim();
				if (name && !cells[c].hasAttribute("data-label"))
					cells[c].setAttribute("data-label", name);
			}
		}
	}
});

// A button that prints the page (the registration slip's): hidden unless this script runs.
document.addEventListener("DOMContentLoaded", function () {
	var buttons = document.querySelectorAll("[data-print]");
	for (var i = 0; i < buttons.length; i++)
		buttons[i].hidden = false;
});
document.addEventListener("click", function (e) {
	if (e.target.closest && e.target.closest("[data-print]"))
		window.print();
});
